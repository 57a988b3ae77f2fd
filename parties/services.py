"""Writes for agencies and staff."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Agency, AgencyKind, AgencyLevel, AgencyUnit, County, Staff, StaffRole

# Short county names used in agency names and case-number prefixes.
COUNTY_SHORT = {
    County.HANBIN: "汉滨", County.HANYIN: "汉阴", County.SHIQUAN: "石泉", County.NINGSHAN: "宁陕",
    County.ZIYANG: "紫阳", County.LANGAO: "岚皋", County.PINGLI: "平利", County.ZHENPING: "镇坪",
    County.BAIHE: "白河", County.XUNYANG: "旬阳",
}
COUNTY_CODES = list(COUNTY_SHORT)


def _agency(name, *, kind, level, county, unit=AgencyUnit.MAIN, parent=None, short_name="", case_prefix=""):
    agency, _created = Agency.objects.get_or_create(
        name=name,
        defaults=dict(kind=kind, level=level, county=county, unit=unit, parent=parent,
                      short_name=short_name or name, case_prefix=case_prefix),
    )
    return agency


@transaction.atomic
def agencies_ensure_ankang() -> dict[str, Agency]:
    """Create (idempotently) the union and the four partner agencies of Ankang and its ten counties.

    Returns the agencies by a stable key: "union:city", "union:610902", "court:city",
    "arbitration:610902", "inspection:city", "legal_aid:610902", …
    """
    out: dict[str, Agency] = {}
    city = County.CITY
    out["union:city"] = _agency("安康市总工会", kind=AgencyKind.UNION, level=AgencyLevel.CITY, county=city,
                                short_name="市总工会", case_prefix="安总调")
    out["court:city"] = _agency("安康市中级人民法院", kind=AgencyKind.COURT, level=AgencyLevel.CITY, county=city,
                                short_name="安康中院")
    out["procuratorate:city"] = _agency("安康市人民检察院", kind=AgencyKind.PROCURATORATE, level=AgencyLevel.CITY,
                                        county=city, short_name="市检察院")
    out["justice:city"] = _agency("安康市司法局", kind=AgencyKind.JUSTICE, level=AgencyLevel.CITY, county=city,
                                  short_name="市司法局")
    out["legal_aid:city"] = _agency("安康市法律援助中心", kind=AgencyKind.JUSTICE, unit=AgencyUnit.LEGAL_AID,
                                    parent=out["justice:city"], level=AgencyLevel.CITY, county=city)
    out["hrss:city"] = _agency("安康市人力资源和社会保障局", kind=AgencyKind.HRSS, level=AgencyLevel.CITY,
                               county=city, short_name="市人社局")
    out["arbitration:city"] = _agency("安康市劳动人事争议仲裁院", kind=AgencyKind.HRSS, unit=AgencyUnit.ARBITRATION,
                                      parent=out["hrss:city"], level=AgencyLevel.CITY, county=city,
                                      short_name="市仲裁院")
    out["inspection:city"] = _agency("安康市劳动保障监察支队", kind=AgencyKind.HRSS, unit=AgencyUnit.INSPECTION,
                                     parent=out["hrss:city"], level=AgencyLevel.CITY, county=city,
                                     short_name="市监察支队")
    for code, short in COUNTY_SHORT.items():
        label = County(code).label
        out[f"union:{code}"] = _agency(f"{label}总工会", kind=AgencyKind.UNION, level=AgencyLevel.COUNTY,
                                       county=code, short_name=f"{short}总工会", case_prefix=f"{short}工调")
        out[f"court:{code}"] = _agency(f"{label}人民法院", kind=AgencyKind.COURT, level=AgencyLevel.COUNTY,
                                       county=code, short_name=f"{short}法院")
        out[f"procuratorate:{code}"] = _agency(f"{label}人民检察院", kind=AgencyKind.PROCURATORATE,
                                               level=AgencyLevel.COUNTY, county=code, short_name=f"{short}检察院")
        out[f"justice:{code}"] = _agency(f"{label}司法局", kind=AgencyKind.JUSTICE, level=AgencyLevel.COUNTY,
                                         county=code, short_name=f"{short}司法局")
        out[f"legal_aid:{code}"] = _agency(f"{label}法律援助中心", kind=AgencyKind.JUSTICE, unit=AgencyUnit.LEGAL_AID,
                                           parent=out[f"justice:{code}"], level=AgencyLevel.COUNTY, county=code)
        out[f"hrss:{code}"] = _agency(f"{label}人力资源和社会保障局", kind=AgencyKind.HRSS, level=AgencyLevel.COUNTY,
                                      county=code, short_name=f"{short}人社局")
        out[f"arbitration:{code}"] = _agency(f"{label}劳动人事争议仲裁院", kind=AgencyKind.HRSS,
                                             unit=AgencyUnit.ARBITRATION, parent=out[f"hrss:{code}"],
                                             level=AgencyLevel.COUNTY, county=code, short_name=f"{short}仲裁院")
        out[f"inspection:{code}"] = _agency(f"{label}劳动保障监察大队", kind=AgencyKind.HRSS,
                                            unit=AgencyUnit.INSPECTION, parent=out[f"hrss:{code}"],
                                            level=AgencyLevel.COUNTY, county=code, short_name=f"{short}监察大队")
    return out


@transaction.atomic
def staff_create(*, username: str, password: str, agency: Agency, full_name: str, roles: list[str],
                 email: str = "", phone: str = "") -> Staff:
    user = get_user_model().objects.create_user(username=username, password=password, email=email)
    staff = Staff.objects.create(user=user, agency=agency, full_name=full_name, phone=phone)
    StaffRole.objects.bulk_create([StaffRole(staff=staff, role=r) for r in roles])
    return staff
