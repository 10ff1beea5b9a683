"""The service (issue 20): a JSON API over the same workflows the command line calls. Routes only
translate (request -> workflow call -> response); no rule lives here. `create_app` builds it."""

from accord.api.app import create_app

__all__ = ["create_app"]
