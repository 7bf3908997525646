def agency(request):
    return {}
