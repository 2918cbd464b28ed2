"""``POST /api/v1/import``, the template and the OS2mo workbook over HTTP, on a real store.

One app per module over an embedded store in a temporary folder, seeded from the shipped
data; the caller is chosen per request with a test header (tokens are the ACCESS work's).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from api.auth import Principal, current_principal
from api.main import create_app
from api.settings import Settings
from graph.io.spreadsheet import read_tables
from graph.io.template import COLUMNS
from tests.api.helpers import assert_problem
from tests.io.helpers import csv_text, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["enhed", "KLE-nummer", "rolle", "status", "kilde", "kildested", "note", "gyldig til"]
PEOPLE = {
    "admin": Principal("admin-test", "admin"),
    "sof": Principal("sof-redaktoer", "editor", "sof"),
    "bif": Principal("bif-redaktoer", "editor", "bif"),
}


async def _test_principal(request: Request) -> Principal | None:
    return PEOPLE.get(request.headers.get("x-test-as", ""))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = Path(tmp_path_factory.mktemp("import-store")) / "store"
    settings = Settings(
        store_path=store, sparql_enabled=False, base_url="http://testserver",
        import_max_bytes=400_000,
    )  # fmt: skip
    app = create_app(settings)
    app.dependency_overrides[current_principal] = _test_principal
    with TestClient(app) as test_client:
        yield test_client


def _head(client: TestClient) -> int:
    return int(client.app.state.runtime.store.head().sequence)  # type: ignore[attr-defined]


def _post(
    client: TestClient, data: bytes, *, who: str | None = "admin", name: str = "ark.xlsx",
    **params: str,
) -> object:  # fmt: skip
    headers = {"x-test-as": who} if who else {}
    return client.post(
        "/api/v1/import", params=params, headers=headers, files={"file": (name, data, XLSX)}
    )


def _handlers(client: TestClient, task: str) -> set[tuple[str, str]]:
    body = client.get("/api/v1/who", params={"task": task}).json()
    return {(h["unit"]["id"], h["role"]) for h in body["handlers"]}


def test_the_template_downloads_with_its_instructions(client: TestClient) -> None:
    response = client.get("/api/v1/import/template.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert "attachment" in response.headers["content-disposition"]
    tables = {t.sheet: t for t in read_tables(response.content)}
    assert list(tables) == ["Ansvar", "Vejledning", "Gyldige værdier"]
    assert tables["Ansvar"].rows == (tuple(c.header for c in COLUMNS),)
    guide = {row[1]: row for row in tables["Vejledning"].rows[4:]}
    assert set(guide) == {c.header for c in COLUMNS}
    assert all(row[3] for row in guide.values())  # one example per column
    values = {(row[0], row[1]) for row in tables["Gyldige værdier"].rows}
    assert {("rolle", "udførende"), ("status", "bekræftet"), ("kilde", "kk-dk")} <= values
    csv = client.get("/api/v1/import/template.csv")
    assert csv.content.startswith(b"\xef\xbb\xbfenhed;KLE-nummer;rolle;")


def test_the_os2mo_workbook_round_trip_changes_nothing(client: TestClient) -> None:
    exported = client.get("/api/v1/export/os2mo.xlsx")
    assert exported.status_code == 200
    sheets = {t.sheet: t for t in read_tables(exported.content)}
    assert sheets["Ansvarlig"].rows[0] == ("Niveau", "EmneNr", "EmneTitel", "EnhedNavn")
    # Førtidspension: Socialforvaltningen decides, Jobcenter København prepares the case.
    assert ("3", "32.03.16", "Førtidspension", "Socialforvaltningen") in sheets["Ansvarlig"].rows
    assert ("Jobcenter København", "32.03.16") in sheets["Udførende"].rows
    before = _head(client)
    response = _post(client, exported.content, dry_run="false")
    body = response.json()  # type: ignore[attr-defined]
    assert response.status_code == 200, body  # type: ignore[attr-defined]
    assert (body["ok"], body["format"], body["created"], body["changed"], body["ended"]) == (
        True, "os2mo", 0, 0, 0,
    )  # fmt: skip
    assert body["unchanged"] == body["rows"] > 500
    assert _head(client) == before


def test_an_import_is_one_change_and_who_answers_with_it(client: TestClient) -> None:
    assert ("sof-borgercenter-handicap", "udfoerende") not in _handlers(client, "kle-27.60")
    rows = [
        [*HEADER, "kontaktpunkt e-mail"],
        ["Borgercenter Handicap", "27.60", "udførende", "antaget", "Aftale i testen om hjælp",
         "", "Antaget i testen: centret udfører selv en del af sagerne.", "", ""],
        ["Socialforvaltningen", "", "", "bekræftet", "kk-dk", "kontakt", "", "",
         "socialforvaltningen-test@kk.dk"],
    ]  # fmt: skip
    data = csv_text(rows).encode()
    before = _head(client)
    dry = _post(client, data, who="sof", name="ark.csv")
    assert dry.status_code == 200, dry.text  # type: ignore[attr-defined]
    report = dry.json()  # type: ignore[attr-defined]
    assert [(e["row"], e["action"], e["kind"]) for e in report["entries"]] == [
        (2, "new", "responsibility"),
        (3, "new", "contact-point"),
    ]
    assert _head(client) == before  # a dry run stores nothing
    done = _post(client, data, who="sof", name="ark.csv", dry_run="false")
    assert done.status_code == 200, done.text  # type: ignore[attr-defined]
    assert done.json()["change"]["sequence"] == before + 1  # type: ignore[attr-defined]
    assert _head(client) == before + 1  # one batch: one change
    assert ("sof-borgercenter-handicap", "udfoerende") in _handlers(client, "kle-27.60")
    again = _post(client, data, who="sof", name="ark.csv").json()  # type: ignore[attr-defined]
    assert again["created"] == 0 and again["unchanged"] == 2


def test_an_editor_imports_only_into_their_administration(client: TestClient) -> None:
    rows = [HEADER, ["Borgercenter Handicap", "27.60", "ansvarlig", "antaget", "kk-dk", "", "",
                     "2030-12-31"]]  # fmt: skip
    response = _post(client, csv_text(rows).encode(), who="bif", name="ark.csv")
    body = assert_problem(response, 403, "forbidden")  # type: ignore[arg-type]
    assert body["errors"][0]["row"] == 2 and body["errors"][0]["column"] == "A"
    assert "hører ikke under din forvaltning" in body["errors"][0]["message"]


def test_anonymous_import_is_401(client: TestClient) -> None:
    response = _post(client, csv_text([HEADER]).encode(), who=None)
    assert_problem(response, 401, "unauthorized")  # type: ignore[arg-type]


def test_a_batch_is_all_or_nothing(client: TestClient) -> None:
    before, handlers = _head(client), _handlers(client, "kle-32.03.16")
    rows = [
        HEADER,
        ["Jobcenter København", "28.00", "udførende", "antaget", "kk-dk", "", "Antaget.", ""],
        # a second current ansvarlig for førtidspension, beside Socialforvaltningen's
        ["Beskæftigelses-, Integrations- og Erhvervsforvaltningen", "32.03.16", "ansvarlig",
         "antaget", "kk-dk", "", "Antaget i testen.", ""],
    ]  # fmt: skip
    for dry_run in ("true", "false"):  # the dry run meets the same rules as the import
        response = _post(client, csv_text(rows).encode(), name="ark.csv", dry_run=dry_run)
        body = assert_problem(response, 422, "validation-failed")  # type: ignore[arg-type]
        assert any(e["row"] == 3 for e in body["errors"]), body
        assert _head(client) == before
    assert _handlers(client, "kle-32.03.16") == handlers


@pytest.mark.parametrize(
    ("data", "status", "slug"),
    [
        (xlsx({"Ansvar": [HEADER, ["SOF", "32.03.16", "ansvarlig", "antaget", "kk-dk", "",
                                   '=HYPERLINK("http://evil.example","x")']]}),
         422, "validation-failed"),
        (csv_text([HEADER, ["SOF", "32.03.16", "ansvarlig", "antaget", "kk-dk", "",
                            "=cmd|' /C calc'!A0"]]).encode(), 422, "validation-failed"),
        (csv_text([HEADER, ["SOF", "32.03.16", "ansvarlig", "atten", "", "", ""]]).encode(),
         422, "validation-failed"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 415, "unsupported-media-type"),
        (b"enhed;status\n" + b"SOF;antaget\n" * 40_000, 413, "payload-too-large"),
    ],
)  # fmt: skip
def test_hostile_files_are_4xx_and_store_nothing(
    client: TestClient, data: bytes, status: int, slug: str
) -> None:
    before = _head(client)
    body = assert_problem(_post(client, data, dry_run="false"), status, slug)  # type: ignore[arg-type]
    assert body.get("ok") is False or status == 413  # 413 comes before the body is read
    assert _head(client) == before


def test_errors_name_sheet_row_and_column_in_danish(client: TestClient) -> None:
    data = xlsx(
        {"Ansvar": [HEADER, ["SOF", "32.03.16", "ansvarlig", "antaget", "kk-dk", "", "",
                             '=HYPERLINK("http://evil.example","x")']]}
    )  # fmt: skip
    body = _post(client, data).json()  # type: ignore[attr-defined]
    (error,) = body["errors"]
    assert (error["sheet"], error["row"], error["column"]) == ("Ansvar", 2, "H")
    assert error["message"].startswith("Ark 'Ansvar', række 2, kolonne H: cellen indeholder")


def test_an_unknown_unit_is_reported_with_suggestions(client: TestClient) -> None:
    rows = [HEADER, ["Jobcenter Mars", "32.03.16",
                     "indsigt", "antaget", "kk-dk", "", "", ""]]  # fmt: skip
    response = _post(client, csv_text(rows).encode(), name="ark.csv")
    body = assert_problem(response, 422, "validation-failed")  # type: ignore[arg-type]
    assert body["errors"][0]["column"] == "A", body
    assert [s["id"] for s in body["errors"][0]["suggestions"]] == ["bif-jobcenter"]


def test_a_missing_file_field_is_422(client: TestClient) -> None:
    response = client.post("/api/v1/import", headers={"x-test-as": "admin"})
    assert_problem(response, 422, "invalid-parameter")
