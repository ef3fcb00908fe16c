"""Issue 15, the languages: which are offered (a catalogue at 95%), pages at /fr/ and /de/ in their language,
the switcher and the hreflang alternates, the choice remembered, the API and the files language-neutral, the
page cache per language, and the workspaces and log-in under a prefix."""

import re
from pathlib import Path

import polib
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from strategy_tracker import languages

pytestmark = pytest.mark.django_db

EN_FR_DE = [("en", "English"), ("fr", "français"), ("de", "Deutsch")]
PUBLIC_PAGES = ["/", "/initiatives/", "/initiatives/1/", "/timeline/", "/member-states/", "/member-states/DE/",
                "/directive/", "/legislation/", "/infringements/", "/about/", "/open-data/", "/search/?q=Malta",
                "/accounts/login/"]


@pytest.fixture
def offered(settings):
    """French and German offered, whatever the coverage of their catalogues today (the rule is tested below)."""
    settings.LANGUAGES = EN_FR_DE
    yield settings
    translation.activate("en")


def write_catalogue(root: Path, code: str, translated: int, total: int, fuzzy: int = 0) -> Path:
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": code}
    for number in range(total):
        entry = polib.POEntry(msgid=f"String {number}", msgstr=f"Chaîne {number}" if number < translated else "")
        if translated <= number < translated + fuzzy:
            entry.msgstr, entry.flags = f"Chaîne {number}?", ["fuzzy"]
        catalogue.append(entry)
    path = root / code / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    catalogue.save(str(path))
    return path


# --- Which languages are offered ------------------------------------------------------------------------------

def test_a_catalogue_at_95_percent_is_offered_and_one_below_is_not(tmp_path):
    write_catalogue(tmp_path, "fr", translated=95, total=100)
    write_catalogue(tmp_path, "de", translated=94, total=100)
    assert languages.offered_languages([tmp_path]) == [("en", "English"), ("fr", "français")]


def test_a_fuzzy_entry_is_not_a_translated_one(tmp_path):
    write_catalogue(tmp_path, "it", translated=94, total=100, fuzzy=6)
    (coverage,) = languages.coverages([tmp_path])
    assert (coverage.translated, coverage.fuzzy, coverage.total, coverage.offered) == (94, 6, 100, False)


def test_adding_a_catalogue_adds_the_language_named_in_itself_with_no_code_change(tmp_path):
    write_catalogue(tmp_path, "pt_BR", translated=10, total=10)
    write_catalogue(tmp_path, "mt", translated=10, total=10)  # Django has no name for Maltese: ours has
    assert languages.offered_languages([tmp_path]) == [("en", "English"), ("mt", "Malti"),
                                                       ("pt-br", "Português Brasileiro")]


def test_the_settings_offer_what_the_rule_gives_for_the_shipped_catalogues(settings):
    assert settings.LANGUAGES == languages.offered_languages(settings.LOCALE_PATHS)
    assert settings.LANGUAGES[0] == ("en", "English")


def test_the_coverage_command_lists_every_catalogue_and_whether_it_is_offered(tmp_path, capsys):
    write_catalogue(tmp_path, "fr", translated=95, total=100)
    write_catalogue(tmp_path, "de", translated=50, total=100, fuzzy=3)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command("translation_coverage")
    out = capsys.readouterr().out
    assert re.search(r"fr\s+français\s+95/100\s+95\.0%\s+offered", out), out
    assert re.search(r"de\s+Deutsch\s+50/100\s+50\.0%\s+3 fuzzy\s+not offered", out), out


# --- Pages in each language -----------------------------------------------------------------------------------

def test_a_french_page_answers_in_french_with_its_html_lang(client, offered):
    response = client.get("/fr/about/")
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Language"] == "fr"
    assert '<html lang="fr">' in page
    assert "Vue d&#x27;ensemble" in page or "Vue d'ensemble" in page  # the navigation, from the catalogue
    assert 'href="/fr/initiatives/"' in page  # its links stay in French


def test_a_german_page_has_html_lang_de_and_english_pages_keep_their_addresses(client, offered):
    assert '<html lang="de">' in client.get("/de/member-states/DE/").content.decode()
    english = client.get("/member-states/DE/")
    assert english.status_code == 200 and '<html lang="en">' in english.content.decode()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_has_the_switcher_and_hreflang_alternates(client, offered, path):
    page = client.get(path).content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group(0)
    for code, name in EN_FR_DE:
        assert re.search(rf'<a href="/language/{code}/\?next=[^"]*" hreflang="{code}" lang="{code}"[^>]*>{name}</a>',
                         switcher), (code, switcher)
    bare, _, query = path.partition("?")
    query = f"?{query}" if query else ""
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{bare}{query}">' in page
    assert f'<link rel="alternate" hreflang="fr" href="http://testserver/fr{bare}{query}">' in page
    assert f'<link rel="alternate" hreflang="de" href="http://testserver/de{bare}{query}">' in page
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{bare}{query}">' in page


def test_a_reader_who_chose_french_is_sent_to_french_pages_until_they_choose_english(client, offered):
    chosen = client.get("/language/fr/?next=/member-states/?as_of=2019-12-31")
    assert chosen.status_code == 302 and chosen["Location"] == "/fr/member-states/?as_of=2019-12-31"
    assert client.cookies["django_language"].value == "fr"
    remembered = client.get("/infringements/?stage=reasoned_opinion")
    assert remembered.status_code == 302 and remembered["Location"] == "/fr/infringements/?stage=reasoned_opinion"
    assert "Cookie" in remembered["Vary"]
    back = client.get("/language/en/?next=/fr/infringements/")
    assert back["Location"] == "/infringements/" and client.cookies["django_language"].value == ""
    assert client.get("/infringements/").status_code == 200


def test_an_english_address_of_a_page_varies_on_the_cookie_and_a_prefixed_one_does_not_need_to(client, offered):
    assert "Cookie" in client.get("/about/")["Vary"]  # a reader who chose French is redirected from it
    assert "Accept-Language" not in client.get("/fr/about/").get("Vary", "")


def test_the_admin_answers_under_a_prefix_in_its_language(client, offered):
    response = client.get("/fr/admin/login/")
    assert response.status_code == 200 and '<html lang="fr"' in response.content.decode()


def test_choosing_german_from_a_french_page_opens_the_german_page(client, offered):
    assert client.get("/language/de/?next=/fr/initiatives/2/")["Location"] == "/de/initiatives/2/"


def test_a_language_not_offered_or_a_foreign_next_changes_nothing(client, offered):
    assert client.get("/language/xx/?next=/about/").status_code == 404
    assert "django_language" not in client.cookies
    assert client.get("/language/fr/?next=https://elsewhere.example/")["Location"] == "/fr/"
    assert client.post("/language/fr/").status_code == 405


def test_the_api_and_the_open_data_files_stay_language_neutral(client, offered):
    client.get("/language/de/?next=/")
    api = client.get("/api/member-states/DE/")
    assert api.status_code == 200 and api.json()["code"] == "DE"  # not sent to a German address
    assert api.content == client.get("/api/member-states/DE/", HTTP_ACCEPT_LANGUAGE="fr").content
    assert client.get("/fr/api/member-states/").status_code == 404
    assert client.get("/open-data/eu-csa-strategy-tracker.zip").status_code == 200
    assert client.get("/de/open-data/eu-csa-strategy-tracker.zip").status_code == 404
    with translation.override("fr"):
        assert reverse("initiatives:api-docs") == "/api/docs/" and reverse("initiatives:about") == "/fr/about/"


def test_feeds_live_under_each_language_with_the_same_entry_ids(client, offered):
    english, french = client.get("/feed/").content.decode(), client.get("/fr/feed/").content.decode()
    ids = re.compile(r"<id>(tag:[^<]*)</id>")
    assert ids.findall(english) == ids.findall(french) and ids.findall(english)
    assert 'xml:lang="fr"' in french


# --- The page cache per language ------------------------------------------------------------------------------

@pytest.fixture
def page_cache(settings, offered):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield settings
    cache.clear()


def test_a_cached_english_page_is_never_served_to_a_french_reader_nor_the_other_way(client, page_cache):
    english = client.get("/about/")
    french = client.get("/fr/about/")
    assert english["X-Page-Cache"] == french["X-Page-Cache"] == "miss"
    assert client.get("/about/")["X-Page-Cache"] == "hit"
    again = client.get("/fr/about/")
    assert again["X-Page-Cache"] == "hit" and '<html lang="fr">' in again.content.decode()
    client.cookies["django_language"] = "fr"
    assert client.get("/about/")["Location"] == "/fr/about/"  # the remembered choice comes before the cache
    del client.cookies["django_language"]
    assert '<html lang="en">' in client.get("/about/").content.decode()


# --- Log-in, workspaces under a prefix -------------------------------------------------------------------------

def test_a_german_liaison_logs_in_under_de_and_lands_in_their_workspace_in_german(client, offered, liaison_de,
                                                                                 settings):
    login = client.get("/de/staff/")
    assert login.status_code == 302 and login["Location"] == "/de/accounts/login/?next=/de/staff/"
    response = client.post("/de/accounts/login/", {"username": "liaison-de", "password": settings.DEMO_PASSWORD},
                           follow=True)
    assert response.redirect_chain[0][0] == "/de/accounts/home/"
    assert response.request["PATH_INFO"].startswith("/de/liaison/DE/")
    assert '<html lang="de">' in response.content.decode()
    logout = client.post("/de/accounts/logout/")
    assert logout["Location"] == "/de/"


def test_after_a_login_under_fr_a_next_page_opens_in_french(client, offered, staff_user, settings):
    response = client.post("/fr/accounts/login/?next=/fr/staff/key-actions/",
                           {"username": "staff", "password": settings.DEMO_PASSWORD})
    assert response["Location"] == "/fr/staff/key-actions/"
    assert '<html lang="fr">' in client.get(response["Location"]).content.decode()


def test_failed_logins_under_a_prefix_count_toward_the_same_lockout(client, offered, staff_user, settings):
    for path in ["/accounts/login/", "/fr/accounts/login/", "/de/accounts/login/", "/de/accounts/login/",
                 "/fr/accounts/login/"]:
        client.post(path, {"username": "staff", "password": "wrong"})
    locked = client.post("/de/accounts/login/", {"username": "staff", "password": settings.DEMO_PASSWORD})
    assert locked.status_code == 429


# --- CI's check of the catalogues --------------------------------------------------------------------------

def small_project(root: Path, marked: list[str], catalogue: dict[str, str], fuzzy: tuple = ()) -> Path:
    """A project with one module marking `marked`, and French and German catalogues holding `catalogue`."""
    (root / "app").mkdir(parents=True)
    (root / "app" / "strings.py").write_text("from django.utils.translation import gettext as _\n"
                                             + "".join(f"_({text!r})\n" for text in marked))
    for code in ("fr", "de"):
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": code}
        for msgid, msgstr in catalogue.items():
            po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"] if msgid in fuzzy else []))
        (root / "locale" / code / "LC_MESSAGES").mkdir(parents=True)
        po.save(str(root / "locale" / code / "LC_MESSAGES" / "django.po"))
    return root


def check_catalogues(root: Path, capsys) -> tuple[bool, str]:
    from django.core.management.base import CommandError

    with override_settings(BASE_DIR=root, LOCALE_PATHS=[root / "locale"]):
        try:
            call_command("check_catalogues")
            passed = True
        except CommandError:
            passed = False
    captured = capsys.readouterr()
    return passed, captured.out + captured.err


def test_the_catalogue_check_passes_when_every_marked_string_is_translated(tmp_path, capsys):
    small_project(tmp_path, ["Open", "Closed"], {"Open": "Ouvert", "Closed": "Clos"})
    assert check_catalogues(tmp_path, capsys) == (True, "2 catalogues match the marked strings (2 entries); "
                                                        "fr, de complete.\n")


def test_the_catalogue_check_fails_on_a_string_marked_but_not_extracted(tmp_path, capsys):
    small_project(tmp_path, ["Open", "Closed", "Withdrawn"], {"Open": "Ouvert", "Closed": "Clos"})
    passed, out = check_catalogues(tmp_path, capsys)
    assert not passed and "fr: 1 marked but not in the catalogue" in out and "'Withdrawn'" in out


def test_the_catalogue_check_fails_on_an_untranslated_or_fuzzy_entry_and_names_it(tmp_path, capsys):
    small_project(tmp_path, ["Open", "Closed"], {"Open": "", "Closed": "Clos"}, fuzzy=("Closed",))
    passed, out = check_catalogues(tmp_path, capsys)
    assert not passed and "fr: 1 untranslated and 1 fuzzy entries" in out
    assert "    'Open'" in out and "    fuzzy 'Closed'" in out


def test_a_page_in_another_language_is_found_once_per_path_and_keeps_its_query():
    """page_in is asked for every language on every page (switcher, alternates, remembered choice): it is
    remembered per path, active language and URLconf, and the query string is carried over as it is."""
    from django.utils import translation

    from initiatives.language import _path_in, page_in

    _path_in.cache_clear()
    assert page_in("/member-states/DE/?as_of=2021-12-31&page=2", "fr") == (
        "/fr/member-states/DE/?as_of=2021-12-31&page=2")
    assert page_in("/member-states/DE/?as_of=2020-12-31", "de") == "/de/member-states/DE/?as_of=2020-12-31"
    with translation.override("fr"):
        assert page_in("/fr/member-states/DE/", "en") == "/member-states/DE/"
    assert page_in("/api/initiatives/?page=2", "fr") == "/api/initiatives/?page=2"  # language-neutral
    page_in("/member-states/DE/?as_of=2019-12-31", "fr")
    assert _path_in.cache_info().hits >= 1
