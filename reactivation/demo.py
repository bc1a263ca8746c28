"""A realistic demo salon, generated deterministically from a seed.

Customers follow the patterns a real salon sees: regulars every two to four
weeks, customers who drifted away at some point over the last two years,
occasional customers, and one-time visitors who never came back. Cards are
opened with an opening ledger entry and drawn down visit by visit, so every
balance is explained by its ledger, exactly as in production.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction

from customers.models import Appointment, Card, CardEntry, Customer, Service, Staff, Store, Visit
from customers.services.cards import LedgerLine, cards_post_entries_bulk
from customers.services.last_visits import customers_refresh_last_visits

from .models import FollowUp, FollowUpReason
from .reasons import Reason
from .services.follow_ups import latest_contacts_refresh

DEMO_STORE_CODE = "DEMO"
DEMO_STORE_NAME = "丽颜美容会所（演示店）"

SERVICES = [
    ("深层清洁面部护理", "298.00", 60),
    ("补水保湿护理", "368.00", 70),
    ("小气泡清洁", "168.00", 40),
    ("美白焕肤护理", "458.00", 80),
    ("眼部抗皱护理", "328.00", 50),
    ("肩颈舒缓按摩", "268.00", 60),
    ("背部经络疏通", "398.00", 75),
    ("精油SPA全身护理", "588.00", 100),
    ("头疗养发", "198.00", 50),
    ("艾灸调理", "228.00", 60),
    ("足部护理", "158.00", 45),
    ("产后修复护理", "680.00", 90),
]
VALUE_CARDS = [("金卡储值卡", 3000, 8000), ("银卡储值卡", 1000, 3000), ("钻石储值卡", 10000, 20000)]
SESSION_CARDS = [("肩颈护理10次卡", 10), ("面部补水12次卡", 12), ("背部疏通8次卡", 8)]
LEVELS = ["普通会员", "银卡会员", "金卡会员", "钻石会员"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢"
GIVEN = "丽娟敏静秀英华慧巧美娜玲芳燕红霞艳雪梅琳晶婷倩洁颖琪萍欣怡佳雯蕾薇悦馨瑶菲岚雅婧琦璐思涵"
OCCUPATIONS = ["教师", "护士", "会计", "公务员", "个体经营", "全职妈妈", "销售经理", "设计师", "银行职员", "退休"]
FAMILIES = ["已婚，一个孩子在上小学", "已婚，两个孩子", "单身", "已婚，孩子已工作", "新婚"]
PERSONALITIES = ["开朗健谈", "安静，不喜欢被推销", "注重效果，爱问细节", "时间观念强", "随和"]
NEEDS = ["皮肤干燥缺水", "肩颈酸痛", "想改善暗沉", "产后恢复", "放松减压", "抗衰老"]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]
STAFF = [
    ("owner", "林总", Staff.Role.OWNER),
    ("manager", "周店长", Staff.Role.MANAGER),
    ("beautician1", "小美", Staff.Role.BEAUTICIAN),
    ("beautician2", "小雅", Staff.Role.BEAUTICIAN),
    ("beautician3", "小琳", Staff.Role.BEAUTICIAN),
    ("beautician4", "小婷", Staff.Role.BEAUTICIAN),
    ("beautician5", "小慧", Staff.Role.BEAUTICIAN),
    ("beautician6", "小雪", Staff.Role.BEAUTICIAN),
    ("frontdesk1", "前台阿芳", Staff.Role.FRONT_DESK),
    ("frontdesk2", "前台阿静", Staff.Role.FRONT_DESK),
]
DEMO_USERNAMES = [username for username, _name, _role in STAFF]
BATCH = 2000


@dataclass
class DemoSummary:
    store: Store
    customers: int
    visits: int
    cards: int
    appointments: int
    follow_ups: int


def demo_store() -> Store | None:
    return Store.objects.filter(code=DEMO_STORE_CODE).first()


def demo_staff_set_passwords(password: str) -> None:
    for user in Staff.objects.filter(username__in=DEMO_USERNAMES):
        user.set_password(password)
        user.save(update_fields=["password"])


def demo_seed(*, customers: int, seed: int, password: str, today: dt.date | None = None) -> DemoSummary:
    """(Re)build the demo store: the same seed and date always give the same salon."""
    rng = random.Random(seed)
    with transaction.atomic():
        store, _created = Store.objects.update_or_create(code=DEMO_STORE_CODE, defaults={"name": DEMO_STORE_NAME})
        today = today or store.today()
        _clear_store(store)
        staff = _seed_staff(store, password)
        services = _seed_services(store)
        beauticians = [s for s in staff if s.role == Staff.Role.BEAUTICIAN]
        people = [_person(rng, index, today) for index in range(customers)]
        Customer.objects.bulk_create([_customer(store, p) for p in people], batch_size=BATCH)
        by_phone = dict(Customer.objects.filter(store=store).values_list("phone", "id"))
        for person in people:
            person.customer_id = by_phone[person.phone]
        visits = _plan_visits(rng, store, people, services, beauticians)
        cards, ledgers = _plan_cards(rng, people, visits)
        _save_visits(visits)
        _save_cards(cards, ledgers)
        appointments = _seed_appointments(rng, store, people, beauticians, services, today)
        follow_ups = _seed_follow_ups(rng, store, people, staff, today)
        latest_contacts_refresh(Customer.objects.filter(store=store))
    return DemoSummary(store, len(people), len(visits), len(cards), appointments, follow_ups)


def _clear_store(store: Store) -> None:
    """Empty the demo store but keep its row and its staff rows (audit history points at them)."""
    from .models import SegmentRun

    Customer.objects.filter(store=store).delete()
    SegmentRun.objects.filter(store=store).delete()
    Service.objects.filter(store=store).delete()


def _seed_staff(store: Store, password: str) -> list[Staff]:
    people = []
    for username, name, role in STAFF:
        user, _created = Staff.objects.update_or_create(
            username=username,
            defaults={
                "name": name,
                "role": role,
                "store": None if role == Staff.Role.OWNER else store,
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        people.append(user)
    return people


def _seed_services(store: Store) -> list[Service]:
    return Service.objects.bulk_create(
        [Service(store=store, name=name, price=Decimal(price), minutes=minutes) for name, price, minutes in SERVICES]
    )


@dataclass
class _Person:
    """One generated customer and the shape of her history, before anything is saved."""

    name: str
    phone: str
    joined_on: dt.date
    visit_dates: list[dt.date]
    favourite: int  # index of her usual beautician
    favourite_services: list[int]
    profile: dict
    customer_id: int | None = None  # once saved

    @property
    def saved_id(self) -> int:
        """Her customer's id: `demo_seed` saves every person before it plans her history."""
        assert self.customer_id is not None
        return self.customer_id


def _person(rng: random.Random, index: int, today: dt.date) -> _Person:
    joined_on = today - dt.timedelta(days=rng.randint(20, 3 * 365))
    kind = rng.choices(["regular", "drifted", "occasional", "one_time"], weights=[30, 45, 15, 10])[0]
    return _Person(
        name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))),
        phone=_phone(rng, index),
        joined_on=joined_on,
        visit_dates=_visit_dates(rng, kind, joined_on, today),
        favourite=rng.randrange(6),
        favourite_services=rng.sample(range(len(SERVICES)), 3),
        profile={
            "gender": rng.choices(["F", "M"], weights=[93, 7])[0],
            "birthday": dt.date(rng.randint(1965, 2002), rng.randint(1, 12), rng.randint(1, 28)),
            "level": rng.choices(LEVELS, weights=[50, 25, 18, 7])[0],
            "do_not_contact": rng.random() < 0.02,
            "marketing_consent": index % 10 != 9,  # most agreed when they joined (not drawn: the demo stays the same)
            "occupation": rng.choice(OCCUPATIONS),
            "family": rng.choice(FAMILIES),
            "personality": rng.choice(PERSONALITIES),
            "first_need": rng.choice(NEEDS),
            "preferred_channel": rng.choice(["phone", "wechat", "sms"]),
            "wechat_added": rng.random() < 0.7,
        },
    )


def _phone(rng: random.Random, index: int) -> str:
    # The index in the last digits keeps every generated number unique.
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 9)}{index:07d}"


def _visit_dates(rng: random.Random, kind: str, joined_on: dt.date, today: dt.date) -> list[dt.date]:
    if kind == "one_time":
        return [joined_on] if rng.random() < 0.8 else []
    if kind == "regular":
        last = today - dt.timedelta(days=rng.randint(0, 25))
        gap = (14, 28)
    elif kind == "occasional":
        last = today - dt.timedelta(days=rng.randint(0, 120))
        gap = (30, 90)
    else:
        # Drifted away at some point in the last two years, more often recently.
        last = today - dt.timedelta(days=int(30 + rng.triangular(0, 700, 60)))
        gap = (14, 35)
    dates, day = [], max(last, joined_on)
    while day >= joined_on:
        dates.append(day)
        day -= dt.timedelta(days=rng.randint(*gap))
    return sorted(dates)


def _customer(store: Store, person: _Person) -> Customer:
    return Customer(
        store=store,
        name=person.name,
        phone=person.phone,
        joined_on=person.joined_on,
        last_visit_on=person.visit_dates[-1] if person.visit_dates else None,
        **person.profile,
    )


def _plan_visits(rng, store, people, services, beauticians) -> list[Visit]:
    visits = []
    for person in people:
        for day in person.visit_dates:
            # Most visits are with her usual beautician; some with whoever was free.
            index = person.favourite if rng.random() < 0.8 else rng.randrange(len(beauticians))
            service = services[rng.choice(person.favourite_services)]
            visits.append(
                Visit(
                    store=store,
                    customer_id=person.saved_id,
                    visited_on=day,
                    beautician=beauticians[index],
                    service=service,
                    amount=service.price,
                )
            )
    return visits


def _plan_cards(rng: random.Random, people: list[_Person], visits: list[Visit]):
    """Open cards when customers joined and draw them down through their visits, entry by entry."""
    visits_of: dict[int, list[Visit]] = {}
    for visit in visits:
        visits_of.setdefault(visit.customer_id, []).append(visit)
    cards, ledgers = [], []
    for person in people:
        for card, entries in _cards_for(rng, person, visits_of.get(person.saved_id, [])):
            cards.append(card)
            ledgers.append(entries)
    return cards, ledgers


def _save_visits(visits: list[Visit]) -> None:
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    # Who served her last and what she spent before going quiet, as every door that saves visits keeps them.
    customers_refresh_last_visits(customer_ids=sorted({v.customer_id for v in visits}))


def _save_cards(cards: list[Card], ledgers: list[list[CardEntry]]) -> None:
    """Cards are created empty; their ledgers, posted through the ledger's bulk door, fill them."""
    for card in cards:
        card.balance, card.sessions_left = Decimal("0.00"), 0
    Card.objects.bulk_create(cards, batch_size=BATCH)
    lines = [
        LedgerLine(card.pk, e.kind, amount=e.amount, sessions=e.sessions, visit_id=_pk(e.visit), note=e.note)
        for card, entries in zip(cards, ledgers, strict=True)
        for e in entries
    ]
    cards_post_entries_bulk(lines=lines)


def _cards_for(rng: random.Random, person: _Person, visits: list[Visit]):
    opened = person.joined_on
    if rng.random() < 0.6:
        name, low, high = rng.choice(VALUE_CARDS)
        card = Card(
            customer_id=person.saved_id, name=name, kind=Card.Kind.VALUE, expires_on=opened + relativedelta(years=2)
        )
        yield card, _ledger(card, Decimal(rng.randrange(low, high, 500)), 0, visits, opened)
    if rng.random() < 0.3:
        name, sessions = rng.choice(SESSION_CARDS)
        card = Card(
            customer_id=person.saved_id,
            name=name,
            kind=Card.Kind.SESSIONS,
            expires_on=opened + relativedelta(years=1),
        )
        yield card, _ledger(card, Decimal("0.00"), sessions, visits, opened)


def _ledger(card: Card, balance: Decimal, sessions: int, visits: list[Visit], opened: dt.date) -> list[CardEntry]:
    entries = [
        CardEntry(
            kind=CardEntry.Kind.OPENING,
            amount=balance,
            sessions=sessions,
            balance_after=balance,
            sessions_after=sessions,
            note="开卡",
        )
    ]
    for visit in visits:
        if visit.visited_on < opened or visit.card_amount or visit.card_sessions:
            continue
        if card.kind == Card.Kind.VALUE and balance >= visit.amount > 0:
            balance -= visit.amount
            visit.card_amount, visit.amount = visit.amount, Decimal("0.00")
            entries.append(
                CardEntry(
                    kind=CardEntry.Kind.CONSUME,
                    amount=-visit.card_amount,
                    sessions=0,
                    balance_after=balance,
                    sessions_after=0,
                    visit=visit,
                )
            )
        elif card.kind == Card.Kind.SESSIONS and sessions > 0:
            sessions -= 1
            visit.card_sessions, visit.amount = 1, Decimal("0.00")
            entries.append(
                CardEntry(
                    kind=CardEntry.Kind.CONSUME,
                    amount=Decimal("0.00"),
                    sessions=-1,
                    balance_after=Decimal("0.00"),
                    sessions_after=sessions,
                    visit=visit,
                )
            )
    card.balance, card.sessions_left = balance, sessions
    return entries


def _seed_appointments(rng, store, people, beauticians, services, today) -> int:
    zone = store.tzinfo
    chosen = [p for p in people if p.visit_dates and rng.random() < 0.04]
    appointments = []
    for person in chosen:
        day = today + dt.timedelta(days=rng.randint(1, 10))
        starts_at = dt.datetime.combine(day, dt.time(rng.choice([10, 11, 14, 15, 16, 19]), rng.choice([0, 30])), zone)
        appointments.append(
            Appointment(
                store=store,
                customer_id=person.saved_id,
                starts_at=starts_at,
                staff=beauticians[person.favourite],
                service=services[person.favourite_services[0]],
            )
        )
    Appointment.objects.bulk_create(appointments)
    return len(appointments)


_DEMO_FOLLOW_UPS = [
    (FollowUp.Outcome.NO_ANSWER, [], "响铃无人接，稍后再打"),
    (FollowUp.Outcome.REACHED, [Reason.BUSY], "最近工作忙，下个月再约"),
    (FollowUp.Outcome.REACHED, [Reason.INCONVENIENT], "搬到城东了，离店远"),
    (FollowUp.Outcome.REACHED, [Reason.UNUSED_BALANCE, Reason.BUSY], "卡里还有余额，忘了来"),
    (FollowUp.Outcome.REFUSED, [Reason.OVERSOLD], "上次被推销办卡，不太高兴"),
    (FollowUp.Outcome.CALL_BACK, [Reason.PRICE], "觉得护理价格偏高，想等活动"),
    (FollowUp.Outcome.REACHED, [Reason.SERVICE], "上次等了很久，房间有点闷"),
    (FollowUp.Outcome.REACHED, [Reason.STAFF_LEFT], "原来的美容师离职了"),
    (FollowUp.Outcome.REFUSED, [Reason.COMPETITOR], "在小区楼下新开的店做了"),
    (FollowUp.Outcome.REACHED, [Reason.RESULTS], "做了几次感觉效果不明显"),
]


def _seed_follow_ups(rng, store, people, staff, today) -> int:
    """Some dormant customers were already called over the past weeks, by the staff who serve them."""
    beauticians = [s for s in staff if s.role == Staff.Role.BEAUTICIAN]
    front_desk = [s for s in staff if s.role == Staff.Role.FRONT_DESK]
    zone = store.tzinfo
    follow_ups, reasons = [], []
    for person in people:
        last = person.visit_dates[-1] if person.visit_dates else person.joined_on
        days_away = (today - last).days
        if days_away < 40 or rng.random() > 0.25:
            continue
        caller = beauticians[person.favourite] if days_away < 90 else rng.choice(front_desk)
        outcome, heard, note = rng.choice(_DEMO_FOLLOW_UPS)
        day = today - dt.timedelta(days=rng.randint(1, min(30, days_away - 30)))
        contacted_at = dt.datetime.combine(day, dt.time(rng.randint(10, 19), rng.choice([5, 20, 35, 50])), zone)
        follow_up = FollowUp(
            store=store,
            customer_id=person.saved_id,
            by=caller,
            contacted_at=contacted_at,
            outcome=outcome,
            notes=note,
            next_follow_up_on=day + dt.timedelta(days=14) if outcome != FollowUp.Outcome.REFUSED else None,
        )
        follow_ups.append(follow_up)
        reasons.append(heard)
    FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH)
    FollowUpReason.objects.bulk_create(
        [
            FollowUpReason(follow_up=f, store=store, reason=r)
            for f, heard in zip(follow_ups, reasons, strict=True)
            for r in heard
        ],
        batch_size=BATCH,
    )
    return len(follow_ups)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, name, role label) of every demo login, in the order they are printed."""
    found = {s.username: s for s in Staff.objects.filter(username__in=DEMO_USERNAMES)}
    return [(u, found[u].get_full_name(), found[u].get_role_display()) for u in DEMO_USERNAMES if u in found]


def _pk(visit: Visit | None) -> int | None:
    """The id of a visit saved after its entry was planned (the entry holds the object, not yet its id)."""
    return visit.pk if visit is not None else None
