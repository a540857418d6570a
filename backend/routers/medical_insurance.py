"""医保 (medical insurance): insured status, personal account with its spending, and the
参保凭证 certificate. The 异地就医备案 and the e-voucher are in their own modules."""

from __future__ import annotations

import sqlite3
from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from backend import certificates, db
from backend.english import english
from backend.errors import ERROR_RESPONSES, not_found
from backend.models import CertificateOut, IdNumberRequest
from backend.routers.medical_filings import FilingOut, active_filing
from backend.settings import CHINA_TZ, Settings, SettingsDep

router = APIRouter(prefix="/medical-insurance", tags=["medical-insurance"])

Scheme = Literal["employee", "resident"]
Category = Literal["working", "retired", "flexible", "student"]
MemberState = Literal["insured", "suspended", "lapsed"]
AccountState = Literal["normal", "frozen", "none"]
SpendingKind = Literal["pharmacy", "outpatient", "inpatient"]

# (zh, en) for every code the answers carry.
SCHEMES = {"employee": ("职工基本医疗保险", "Employee basic medical insurance"),
           "resident": ("城乡居民基本医疗保险", "Resident basic medical insurance")}
CATEGORIES = {"working": ("在职", "Working"), "retired": ("退休", "Retired"),
              "flexible": ("灵活就业", "Flexible employment"), "student": ("学生", "Student")}
STATES = {"insured": ("正常参保", "Insured"), "suspended": ("暂停参保", "Suspended"),
          "lapsed": ("本年度未参保", "Not insured this year")}
NOTES = {
    "insured": ("可在定点医院、药店使用医保结算",
                "Medical insurance pays at designated hospitals and pharmacies"),
    "suspended": ("停止缴费后暂停享受医保待遇；续缴后恢复",
                  "Benefits are paused since contributions stopped; they resume once you "
                  "pay again"),
    "lapsed": ("居民医保按年度缴费，每年9月至12月可办理下一年度参保",
               "Resident insurance is paid per year; enrol for next year from September "
               "to December"),
}
ACCOUNT_STATES = {"normal": ("正常", "Normal"), "frozen": ("已冻结", "Frozen"),
                  "none": ("无个人账户", "No personal account")}
FROZEN_NOTE = ("停保期间个人账户暂停支付", "Payments from the account are stopped while insured "
               "status is suspended")
KINDS = {"pharmacy": ("药店购药", "Pharmacy"), "outpatient": ("门诊", "Outpatient"),
         "inpatient": ("住院", "Inpatient")}
PLACE_ZH, PLACE_EN = "深圳市", "Shenzhen"
CERT_TITLE = "基本医疗保险参保凭证"
CERT_ISSUER = "深圳市医疗保障局"


@router.get("/health")
def health() -> dict[str, str]:
    """What the kiosk's prober asks while it has this department marked unavailable."""
    return {"status": "ok"}


class MedicalStatusOut(BaseModel):
    holder_name: str
    insured: bool = Field(description="covered today (a suspended or lapsed member is not)")
    scheme: Scheme
    scheme_zh: str
    scheme_en: str
    category: Category
    category_zh: str
    category_en: str
    state: MemberState
    state_zh: str
    state_en: str
    note_zh: str
    note_en: str
    since: str = Field(examples=["2015-03"])
    place_zh: str = Field(description="参保地: where the person is insured")
    place_en: str
    has_account: bool = Field(description="居民医保 has no personal account")
    filing: FilingOut | None = Field(description="the 异地就医备案 in force, if any")


class Spending(BaseModel):
    spent_at: str = Field(examples=["2026-11-18 10:24"])
    kind: SpendingKind
    kind_zh: str
    kind_en: str
    place: str
    place_en: str
    total_fen: int = Field(description="the whole bill")
    fund_fen: int = Field(description="paid by the pooled fund (统筹基金)")
    account_fen: int = Field(description="paid from the personal account")
    cash_fen: int = Field(description="paid by the person")


class AccountOut(BaseModel):
    holder_name: str
    account_state: Literal["normal", "frozen"]
    account_state_zh: str
    account_state_en: str
    note_zh: str = Field(description="why the account is frozen; empty when normal")
    note_en: str
    balance_fen: int
    spending: list[Spending] = Field(description="newest first; hundreds for some")
    total_account_fen: int = Field(description="sum of account_fen over the list")


def load_member(conn: sqlite3.Connection, settings: Settings, id_number: str) -> MedicalStatusOut:
    row = conn.execute("SELECT p.name, m.* FROM persons p LEFT JOIN mi_members m"
                       " USING (id_number) WHERE p.id_number = ?", (id_number,)).fetchone()
    if row is None:
        raise not_found("no person with this ID number")
    if row["scheme"] is None:
        raise not_found("no medical insurance record for this person")
    scheme, category, state = row["scheme"], row["category"], row["state"]
    return MedicalStatusOut(
        holder_name=row["name"], insured=state == "insured",
        scheme=scheme, scheme_zh=SCHEMES[scheme][0], scheme_en=SCHEMES[scheme][1],
        category=category, category_zh=CATEGORIES[category][0],
        category_en=CATEGORIES[category][1],
        state=state, state_zh=STATES[state][0], state_en=STATES[state][1],
        note_zh=NOTES[state][0], note_en=NOTES[state][1], since=row["since"],
        place_zh=PLACE_ZH, place_en=PLACE_EN, has_account=row["account_state"] != "none",
        filing=active_filing(conn, id_number, settings.clock().astimezone(CHINA_TZ).date()),
    )


@router.post("/status", response_model=MedicalStatusOut, responses=ERROR_RESPONSES)
def member_status(body: IdNumberRequest, settings: SettingsDep) -> MedicalStatusOut:
    """参保状态查询: scheme, category (在职/退休 …), state, and any 备案 in force."""
    with db.connection(settings.db_path) as conn:
        return load_member(conn, settings, body.id_number)


@router.post("/account", response_model=AccountOut, responses=ERROR_RESPONSES)
def account(body: IdNumberRequest, settings: SettingsDep) -> AccountOut:
    """个人账户: balance and every payment from it, newest first. 404 without an account."""
    with db.connection(settings.db_path) as conn:
        member = load_member(conn, settings, body.id_number)
        if not member.has_account:
            raise not_found("no personal account (resident insurance has none)")
        state = conn.execute("SELECT account_state, balance_fen FROM mi_members"
                             " WHERE id_number = ?", (body.id_number,)).fetchone()
        rows = conn.execute("SELECT * FROM mi_spending WHERE id_number = ? ORDER BY seq",
                            (body.id_number,)).fetchall()
    spending = [
        Spending(spent_at=r["spent_at"], kind=r["kind"], kind_zh=KINDS[r["kind"]][0],
                 kind_en=KINDS[r["kind"]][1], place=r["place"], place_en=english(r["place"]),
                 total_fen=r["total_fen"], fund_fen=r["fund_fen"], account_fen=r["account_fen"],
                 cash_fen=r["total_fen"] - r["fund_fen"] - r["account_fen"])
        for r in rows
    ]
    frozen = state["account_state"] == "frozen"
    return AccountOut(
        holder_name=member.holder_name, account_state=state["account_state"],
        account_state_zh=ACCOUNT_STATES[state["account_state"]][0],
        account_state_en=ACCOUNT_STATES[state["account_state"]][1],
        note_zh=FROZEN_NOTE[0] if frozen else "", note_en=FROZEN_NOTE[1] if frozen else "",
        balance_fen=state["balance_fen"], spending=spending,
        total_account_fen=sum(s.account_fen for s in spending),
    )


@router.post("/certificates", response_model=CertificateOut,
             status_code=status.HTTP_201_CREATED, responses=ERROR_RESPONSES)
def issue_certificate(body: IdNumberRequest, settings: SettingsDep) -> CertificateOut:
    """参保凭证: a verifiable certificate of the person's medical insurance (404 when the
    person is not insured this year: there is nothing to certify)."""
    with db.connection(settings.db_path) as conn:
        member = load_member(conn, settings, body.id_number)
        if member.state == "lapsed":
            raise not_found("not insured this year: nothing to certify")
        rows = [("险种", member.scheme_zh), ("人员类别", member.category_zh),
                ("参保状态", member.state_zh), ("参保日期", f"{member.since}起"),
                ("参保地", member.place_zh)]
        if member.filing is not None:
            rows.append(("异地就医备案", f"{member.filing.city_zh}（{member.filing.reason_zh}）"))
        return certificates.issue(
            conn, settings, kind="medical_insurance.enrolment", prefix="YB", title=CERT_TITLE,
            issuer=CERT_ISSUER, holder_name=member.holder_name, id_number=body.id_number,
            rows=rows,
        )
