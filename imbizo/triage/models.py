from imbizo.triage.model_models import *  # noqa: F401,F403
