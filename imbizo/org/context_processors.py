from .selectors import institution_get


def institution(request):
    return {"institution": institution_get()}
