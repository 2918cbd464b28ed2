"""The task and unit pages show what staff miss: the phone as a ``tel:`` link, opening hours,
the service's own kk.dk/borger.dk page, and under every responsibility its owner and when it
was last confirmed (or why it is only assumed)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_task_page_links_the_service_page_and_shows_phone_and_hours(
    pages_client: TestClient,
) -> None:
    page = pages_client.get("/id/task/kle-27.57.16").text
    service = re.search(r'<p class="service-pages">(.*?)</p>', page)
    assert service, "the task page names the citizen's page about the service"
    assert (
        'href="https://www.kk.dk/borger/udsatte-og-socialpsykiatri/hjemloese/bekymret-for-en-hjemloes"'
        in service.group(1)
    )
    assert "Bekymret for en hjemløs (kk.dk)" in service.group(1)
    handler = page.split('<li class="handler">')[1].split('class="fact-meta"')[0]
    assert 'href="tel:+4533174122"' in handler
    assert "Åbningstid: Hverdage kl. 10–13" in handler


def test_task_page_without_a_known_service_page_shows_none(pages_client: TestClient) -> None:
    assert 'class="service-pages"' not in pages_client.get("/id/task/kle-32.03.16").text


def test_every_responsibility_row_names_its_owner_and_confirmation(
    pages_client: TestClient,
) -> None:
    page = pages_client.get("/id/task/kle-32.21").text
    handlers = page.split('<li class="handler">')[1:]
    assert handlers
    for handler in handlers:
        assert '<span class="fact-meta">Ejer: <a href="/id/unit/' in handler
    assert "Ikke bekræftet – antaget: Enheden er ikke bekræftet." in handlers[0]
    sourced = pages_client.get("/id/task/kle-23.09.02").text
    assert 'Ejer: <a href="/id/unit/kff-borgerservice">Borgerservice</a>' in sourced
    assert "Står i kilden; ikke gennemgået af enheden endnu." in sourced


def test_unit_page_shows_hours_and_owner_on_its_tasks(pages_client: TestClient) -> None:
    page = pages_client.get("/id/unit/sof-hjemloese-udsatteenheden").text
    contact = page.split('id="kontakt"')[1].split("</section>")[0]
    assert 'href="tel:+4533174122"' in contact and "Åbningstid: Hverdage kl. 10–13" in contact
    tasks = page.split('id="opgaver"')[1].split("</section>")[0]
    rows = re.findall(r"<li>.*?</li>", tasks, flags=re.S)
    assert rows and all("fact-meta" in row for row in rows)
    assert 'Ejer: <a href="/id/unit/sof-hjemloese-udsatteenheden">' in tasks


def test_a_unit_without_a_known_phone_says_so(pages_client: TestClient) -> None:
    page = pages_client.get("/id/unit/sof-den-sociale-doegnvagt").text
    contact = page.split('id="kontakt"')[1].split("</section>")[0]
    assert "Åbningstid: Døgnet rundt" in contact
    assert "Ingen telefon eller e-mail registreret (et hul)." in contact
    assert "tel:" not in contact


def test_the_page_json_twin_carries_the_same_fields(pages_client: TestClient) -> None:
    data = pages_client.get("/id/task/kle-23.09.02.json").json()
    assert data["who"]["service_pages"][0]["url"] == "https://www.kk.dk/borger/borgerservice/pas"
    handler = data["who"]["handlers"][0]
    assert handler["owner"]["id"] == "kff-borgerservice"
    assert handler["last_confirmed"] is None and handler["confirmed_by"] is None


def test_the_referral_hop_shows_the_targets_phone_and_hours(pages_client: TestClient) -> None:
    page = pages_client.get(
        "/henvisning", params={"fra": "borgerraadgiveren", "opgave": "kle-27.57.16"}
    ).text
    assert 'href="tel:+4533174122"' in page
    assert "Åbningstid: Hverdage kl. 10–13" in page
