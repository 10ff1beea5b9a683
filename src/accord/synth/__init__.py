"""Synthetic data: a made-up county of agencies, staff, students, agreements and consents."""

from accord.synth.county import County, build_county, renamed

__all__ = ["County", "build_county", "renamed"]
