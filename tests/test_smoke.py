from saleor_cart_takeover.models import TakeoverSession


def test_models_migrated(db):
    assert TakeoverSession.objects.count() == 0
