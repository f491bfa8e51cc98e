"""The API tests reuse the sales fixtures: an approved shop with a product, orders and referrals (fixture-only rows)."""

from tests.sales.conftest import shop  # noqa: F401 - a fixture
