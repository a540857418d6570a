"""Every department's declaration is complete, checked from the declarations themselves:
a department added to ``DEPARTMENTS`` is held to the same rules without a line here."""

from __future__ import annotations

import ast
import inspect
import pkgutil
from dataclasses import replace
from importlib import import_module
from pathlib import Path

import pytest

from kiosk import departments
from kiosk.declaration import Department, resolve
from kiosk.departments import DEPARTMENTS, functions, with_tiles
from kiosk.i18n import LANGUAGES, Catalog, Text
from kiosk.prompts import SCREEN_PROMPTS

# Calls that take the service a flow journals (the statistics' key): the argument's place.
SERVICE_CALLS = {"query": 0, "print_certificate": 0, "choose": 0, "ViolationQuery": 0,
                 "show_records": 1, "record": 1}
CORE_SCREENS = {"attract", "identify", "home", "records", "printing", "rating", "ended"}
IDS = [d.key for d in DEPARTMENTS]


def problems(d: Department) -> list[str]:
    """What is missing from ``d``'s declaration; [] when it is complete."""
    found: list[str] = []

    def text(what: str, value: Text | None) -> None:
        for lang in LANGUAGES:
            if value is None or not getattr(value, lang).strip():
                found.append(f"{what}: no {lang} text")

    text("name", d.name)
    if not d.screens:
        found.append("no screen")
    for screen in d.screens:
        text(f"voice prompt of {screen}", d.prompts.get(screen))
    found += [f"voice prompt for {s}, which it does not declare"
              for s in d.prompts if s not in d.screens]
    if d.tile is not None:
        text("tile text", d.tile.text)
        text("tile second line", d.tile.sub)
    if not d.functions:
        found.append("no service names (functions)")
    for f in d.functions:
        text(f"service {f.service}", f.name)
    declared = {f.service for f in d.functions}
    found += [f"journals {s!r}, which it does not declare" for s in journaled(d) - declared]
    return found


def journaled(d: Department) -> set[str]:
    """The service names the department's own modules pass to the journaling calls."""
    package = import_module(f"kiosk.departments.{d.key}")
    names: set[str] = set()
    for info in pkgutil.iter_modules(package.__path__):
        tree = ast.parse(Path(package.__path__[0], f"{info.name}.py").read_text())
        constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                     for t in n.targets if isinstance(t, ast.Name)
                     and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in SERVICE_CALLS and len(node.args) > SERVICE_CALLS[name]:
                arg = node.args[SERVICE_CALLS[name]]
            else:  # background(..., service="...")
                arg = next((k.value for k in node.keywords if k.arg == "service"), None)
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                names.add(arg.value)
            elif isinstance(arg, ast.Name) and arg.id in constants:
                names.add(constants[arg.id])
    return names


@pytest.mark.parametrize("department", DEPARTMENTS, ids=IDS)
def test_every_declaration_is_complete(department):
    assert problems(department) == []


@pytest.mark.parametrize("department", DEPARTMENTS, ids=IDS)
def test_a_declaration_names_what_exists(department):
    """Its package is ``kiosk/departments/<key>/``, its flow builds, its screens are
    screens with the flow as ``flow_type`` where they call one."""
    assert import_module(f"kiosk.departments.{department.key}").DEPARTMENT is department
    assert callable(resolve(department.build))
    for name, path in department.screens.items():
        assert name not in CORE_SCREENS, f"{name} is one of the kiosk's own screens"
        module, _, cls = path.partition(":")
        assert module.startswith("screens."), path
        source = Path(import_module("screens").__path__[0], module.split(".")[1] + ".py")
        assert f"class {cls}(" in source.read_text(), path  # resolved with Kivy: tests/screens


def test_breaking_a_declaration_is_caught():
    """The check above fails on each kind of gap (the check itself can fail)."""
    ss = departments.social_security.DEPARTMENT
    assert problems(ss) == []
    no_english_tile = replace(ss, tile=replace(ss.tile, text=Text("社保", "")))
    assert problems(no_english_tile) == ["tile text: no en text"]
    no_prompt = replace(ss, prompts={})
    assert problems(no_prompt) == ["voice prompt of ss_status: no zh text",
                                   "voice prompt of ss_status: no en text"]
    no_screen = replace(ss, screens={}, prompts={})
    assert problems(no_screen) == ["no screen"]
    one_service_less = replace(ss, functions=ss.functions[1:])
    assert problems(one_service_less) == ["journals 'ss.insurance_status', which it does "
                                          "not declare"]


def test_the_lists_follow_the_declarations():
    """Tiles, screens, prompts, breakers and the fleet's service names come from them."""
    from fleet.i18n import TEXT

    assert [d.tile.order for d in with_tiles()] == sorted(d.tile.order for d in with_tiles())
    catalog = Catalog.load()
    for d in DEPARTMENTS:
        for screen in d.screens:
            assert SCREEN_PROMPTS[screen] == d.voice_key(screen)
            assert catalog.text(d.voice_key(screen), "en") == d.prompts[screen].en
    for f in functions():
        assert TEXT[f"service.{f.service}"] == (f.name.zh, f.name.en)
    services = [f.service for f in functions()]
    assert len(services) == len(set(services)), "a service declared twice"
    assert len({d.key for d in DEPARTMENTS}) == len(DEPARTMENTS)


def test_every_department_package_is_in_the_list():
    """A package under kiosk/departments/ that is not listed would never be wired."""
    packages = {m.name for m in pkgutil.iter_modules(departments.__path__) if m.ispkg}
    assert packages == {d.key for d in DEPARTMENTS}


def test_states_and_answers_never_print_what_is_personal():
    """``repr`` of a department's state, and of the answers it holds, says <personal>."""
    from common.privacy import is_personal
    from kiosk.departments.social_security.service import ContributionHistory, InsuranceStatus
    from kiosk.departments.social_security.state import SocialSecurityState

    status = InsuranceStatus("张示例", ())
    assert repr(status) == "InsuranceStatus(<personal>)" and "张示例" not in str(status)
    assert "张示例" not in repr(SocialSecurityState(insurance=status))
    assert "张示例" not in repr(ContributionHistory("张示例", (), 0))
    unmarked = []
    for d in DEPARTMENTS:
        package = import_module(f"kiosk.departments.{d.key}")
        for info in pkgutil.iter_modules(package.__path__):
            module = import_module(f"{package.__name__}.{info.name}")
            for name, cls in inspect.getmembers(module, inspect.isclass):
                holds = getattr(cls, "__dataclass_fields__", None) or \
                    getattr(cls, "model_fields", None) or {}
                if cls.__module__ == module.__name__ and set(holds) & PERSONAL_FIELDS \
                        and not is_personal(cls):
                    unmarked.append(f"{module.__name__}.{name}")
            if info.name == "state":
                unmarked += [f"{module.__name__}.{n}" for n, c in
                             inspect.getmembers(module, inspect.isclass)
                             if c.__module__ == module.__name__ and n.endswith("State")
                             and not is_personal(c)]
    assert unmarked == []


# Fields that hold, or point at, a person: a class with one must keep its repr personal.
PERSONAL_FIELDS = {"holder_name", "name", "id_number", "plate", "holder", "card",
                   "insurance", "account", "licence", "payment", "applicant_masked"}
