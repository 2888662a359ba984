"""The insight pages (interface only): war room, needs map, scorecards, ward
pages and satisfaction drivers, with their charts, maps and downloads.

The figures come from imbizo.insights (rollups, reports, selectors); this
package parses the request, checks permission, calls one report and renders
it. It is a Django app so that its templates, static files and template
tags load.
"""
