"""The WSGI entry point leaves the start-up heap out of the cycle collector's way."""

import subprocess
import sys
import textwrap


def test_the_wsgi_module_freezes_the_start_up_heap_with_every_view_imported():
    # A fresh interpreter: the test process has its own heap and its own freeze state.
    script = textwrap.dedent("""
        import gc, sys
        import config.wsgi
        print(gc.get_freeze_count(), "imbizo.dashboards.views" in sys.modules,
              "imbizo.backoffice.cases.views" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, env={"DJANGO_SETTINGS_MODULE": "config.settings.test",
                                          "PATH": "/usr/bin:/bin"}).stdout.split()
    frozen, insights_views, backoffice_views = int(out[0]), out[1], out[2]
    assert frozen > 50_000  # Django and every app: far more than any one page makes
    assert (insights_views, backoffice_views) == ("True", "True")
