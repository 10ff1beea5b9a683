"""Pages for the people who use Accord (issue 21): server-rendered Jinja2 with htmx (vendored, no
build step), over the same workflows as the JSON API and the command line, signed in with the API's
own sessions. A face: it translates requests into workflow calls and results into pages, nothing more."""

from accord.web.site import create_site

__all__ = ["create_site"]
