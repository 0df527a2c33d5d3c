"""Where a vacancy is: the (city, province) pair in the short form vacancies carry.

The ``city`` of a vacancy is the place job seekers search for: a prefecture (烟台), a
county or banner (紫阳, 库伦旗), a district feeds name on its own (红寺堡), or a
province-level city (天津). A district named with its city is that city
(北京市朝阳区 -> 北京, 山东省烟台市莱山区 -> 烟台).
"""

from __future__ import annotations

from jobfeed.places import Place, PlaceLevel, Places, strip_suffix
from jobfeed.sources.textnorm import simplified


class PlaceError(ValueError):
    """No city can be made out, or its province is unknown."""


class PlaceResolver:
    def __init__(self, places: Places) -> None:
        self._places = places

    def resolve(
        self, city: str | None, province: str | None, text: str | None = None
    ) -> tuple[str, str]:
        """From a city and/or province field, or else from a free-text place (``地点``)."""
        city = simplified(city).strip() if city else None
        province = simplified(province).strip() if province else None
        place = None
        if city:
            place = self._places.get(city, province)
            if place is None:
                match = self._places.find_in(city, within=province)
                place = match.place if match and match.end - match.start >= 2 else None
        elif text:
            match = self._places.find_in(simplified(text), within=province)
            place = match.place if match else None
        if place is None:
            return self._unknown(city, province, text)
        return self._city_of(place, simplified(city or text or "")), place.province

    def city_key(self, city: str) -> str:
        """A city as a filter value (``北京市`` -> ``北京``), for web pages and targeting."""
        name = simplified(city).strip()
        place = self._places.get(name)
        return self._city_of(place, name) if place else strip_suffix(name)

    def _city_of(self, place: Place, written: str) -> str:
        named_with_city = place.city is not None and (
            place.city == place.province or place.city in written
        )
        if place.level is PlaceLevel.district and named_with_city:
            return str(place.city)
        if place.level is PlaceLevel.province and not place.full_name.endswith("市"):
            raise PlaceError(f"{place.name} is a province: the city is missing")
        return place.name

    def _unknown(
        self, city: str | None, province: str | None, text: str | None
    ) -> tuple[str, str]:
        if city and province:
            return strip_suffix(city), self._places.province_name(province)
        if city:
            raise PlaceError(f"unknown city {city!r} and no province given")
        if text:
            raise PlaceError(f"no known city in the place {text!r}")
        raise PlaceError("no city or place given")
