"""A deterministic synthetic corpus in The Anarchist Library's plain-text export layout.

    from bench.synthetic import generate
    generate(Path("bench/out/corpus-1000"), 1000)        # → texts/*.txt + authority.toml

or ``python bench/synthetic.py OUT --texts 1000``.

Every text has the seed's layout (``# Title``, an optional ``**subtitle**``, an
author line, a date line, a body of a few paragraphs, ``The Anarchist Library`` /
``Anti-Copyright``, then a colophon repeating the header with the Retrieved /
From / Translated sentences and the library's address). People come from one
pool of a few hundred synthetic persons (accented names included) shared by
all texts as authors, recipients, translators and article authors; most texts
are declared letters in the authority file, which is the real
``corpus/authority.toml`` with synthetic entries (sourced) appended. The same
``(n, seed, include_seed)`` always gives byte-identical output.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):                     # run as a script: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.slugs import slugify  # noqa: E402  (the build derives file slugs the same way)

REPO = Path(__file__).resolve().parents[1]
SEED_CORPUS = REPO / "corpus"
SEED_SLUG = "victor-serge-letter-to-emile-armand"

FIRST = ("Émile", "Léon", "Louise", "Jeanne", "Sébastien", "Hélène", "José", "María", "Françoise",
         "André", "Jürgen", "Käthe", "Ramón", "Inés", "Élisée", "Zoé", "Benoît", "Cécile", "Ángel",
         "Renée", "Ernest", "Marius", "Lucía", "Gustav", "Lev", "Anna", "Errico", "Federica", "Voltairine",
         "Rudolf", "Milly", "Octave", "Séverine", "Joaquín", "Mélanie", "Théo", "Paul", "Rosa", "Nestor",
         "Gaston", "Clément", "Hippolyte", "Manuel", "Teresa", "Luigi", "Ida", "Fernand", "Lise")
LAST = ("Durand", "Lefèvre", "Bérard", "Gómez", "Müller", "Rousseau", "Faure", "Ibáñez", "Mercier",
        "Lacroix", "Girard", "Pelloutier", "Sánchez", "Brunet", "Dubois", "Kovács", "Novák", "Šimek",
        "Rossi", "Bianchi", "Fabbri", "Martí", "Fernández", "Ortega", "Mayer", "Schäfer", "Lambert",
        "Chevalier", "Noël", "Caillaux", "Vidal", "Morel", "Pérez", "Ferrer", "Garnier", "Ruiz",
        "Thibault", "Ménard", "Besnard", "Vergès", "Aubry", "Carré", "Delaunay", "Fontaine", "Hébert",
        "Jouhaux", "Lecoin", "Mauricius", "Perrin", "Régnier", "Tailhade", "Zo d'Axa", "Ollivier")
PLACES = ("Lyon", "Barcelona", "Saint-Nazaire", "Marseille", "Liège", "Genève", "Zürich", "Milano",
          "Fresnes", "Buenos Aires", "Montréal", "Bruxelles", "Valencia", "Nîmes", "Le Havre", "Toulouse",
          "Saragossa", "Lausanne", "Kraków", "Sevilla", "Paterson", "Lisboa", "Brest", "Montluçon")
TOPICS = ("the Strike", "the Prison Question", "Free Love", "the War", "the Cooperative", "Our Paper",
          "the Trial", "Education", "the General Assembly", "the Congress", "the Free School",
          "the Unions", "Individualism", "the Colony", "Exile", "the Amnesty", "the Famine",
          "the Printing Press", "Conscription", "Syndicalism", "the Harvest", "Our Library")
KINDS = ("Letter", "Second Letter", "Open Letter", "Note", "Reply", "Postcard", "Last Letter")
ESSAYS = ("On", "Notes on", "Against", "In Defence of", "Remarks on", "A Word on", "Reflections on")
WORDS = ("comrades", "liberty", "the press", "our friends", "the committee", "the police", "the library",
         "the workers", "the question", "the paper", "the meeting", "the idea", "solidarity",
         "the school", "the colony", "the prisoners", "the young", "our ideas", "the movement",
         "the café", "the printers", "the postman", "the censors", "the harvest", "the mines")
VERBS = ("ask after", "remember", "write about", "distrust", "defend", "send greetings to",
         "cannot forget", "talk endlessly of", "are tired of", "are waiting for", "believe in")
ADVERBS = ("as always", "despite everything", "more than ever", "in these dark days", "once again",
           "with some bitterness", "without illusions", "since my release", "in spite of the censors")
CLOSINGS = ("Yours", "Fraternally", "Yours fraternally", "With my greetings", "Always yours",
            "Salut et fraternité")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
LANGS = ("fr", "fr", "fr", "es", "it", "de", "ru")
#: (title, language, start year) of the synthetic periodicals
PERIODICALS = (("Le Réveil Libertaire", "fr", 1901), ("La Clameur Ouvrière", "fr", 1909),
               ("El Porvenir Obrero", "es", 1899), ("Il Pensiero Ribelle", "it", 1905),
               ("Die Freie Gesellschaft", "de", 1911), ("L'Idée Nouvelle", "fr", 1920),
               ("Tierra Nueva", "es", 1925), ("Revue d'Histoire Sociale", "fr", 1950))
#: (name, host) of organizations that colophons point at besides the real ones
ORGANIZATIONS = (("Archives Autonomies", "archivesautonomies.org"),
                 ("Kate Sharpley Library", "www.katesharpleylibrary.net"))
RETRIEVED_FROM = (("www.marxists.org", "http://www.marxists.org"),) * 3 + tuple(
    (host, f"https://{host}") for _, host in ORGANIZATIONS) + (("libcom.org", "https://libcom.org"),)


@dataclass
class Corpus:
    """What generation accumulates for the authority file."""
    pool: list[str]
    texts: dict[str, dict] = field(default_factory=dict)      # slug → authority entry lines
    sources: list[tuple] = field(default_factory=list)        # print sources, for sharing
    issue_dates: dict[tuple, str] = field(default_factory=dict)
    article_slugs: set[str] = field(default_factory=set)
    slugs: set[str] = field(default_factory=set)


def _pool(rng: random.Random, size: int, taken: set[str]) -> list[str]:
    """``size`` distinct synthetic names (distinct by slug, none of the ``taken`` slugs)."""
    names, seen = [], set(taken) | {"victor-serge", "emile-armand", "mitchell-abidor", "jean-maitron"}
    while len(names) < size:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if rng.random() < 0.15:
            name = f"{rng.choice(FIRST)} {name}"
        if slugify(name) not in seen:
            seen.add(slugify(name))
            names.append(name)
    return names


def _date(rng: random.Random, lo: int = 1890, hi: int = 1960) -> str:
    """A date as the texts write it: mostly '19 March 1917', sometimes coarser."""
    y, m, d = rng.randint(lo, hi), rng.randrange(12), rng.randint(1, 28)
    return rng.choices((f"{d} {MONTHS[m]} {y}", f"{MONTHS[m]} {y}", str(y), f"{MONTHS[m]} {d}, {y}"),
                       weights=(60, 15, 10, 15))[0]


def _sentence(rng: random.Random, pool: list[str]) -> str:
    s = rng.choice((
        lambda: f"The comrades in {rng.choice(PLACES)} {rng.choice(VERBS)} {rng.choice(WORDS)} {rng.choice(ADVERBS)}.",
        lambda: f"I have seen {rng.choice(pool)} again, and we spoke of {rng.choice(WORDS)}.",
        lambda: f"We {rng.choice(VERBS)} {rng.choice(WORDS)}, {rng.choice(ADVERBS)}.",
        lambda: f"As {rng.choice(pool).split()[-1]} said, “{rng.choice(WORDS)}, above all.”",
        lambda: f"Nothing is decided about *{rng.choice(TOPICS).removeprefix('the ')}* yet.",
        lambda: f"They {rng.choice(VERBS)} {rng.choice(WORDS)} – and much less of {rng.choice(WORDS)}.",
    ))()
    return s[0].upper() + s[1:]


def _body(rng: random.Random, c: Corpus, recipient: str | None, signature: str, extra: list[str]) -> list[str]:
    """Paragraphs: a salutation and a signature for a letter, a few sentences each."""
    paras = [" ".join(_sentence(rng, c.pool) for _ in range(rng.randint(2, 5)))
             for _ in range(rng.randint(2, 5))]
    for sentence in extra:                          # sentences the authority's mentions quote
        i = rng.randrange(len(paras))
        paras[i] = f"{paras[i]} {sentence}"
    if recipient:
        paras.insert(0, rng.choice(("My Dear {}:", "Dear comrade {}:", "Dear {},")).format(recipient.split()[-1]))
        paras.append(f"{rng.choice(CLOSINGS)}, {signature}")
    return paras


def _print_source(rng: random.Random, c: Corpus, author: str) -> tuple:
    """``(article author, article title, periodical, number, date)``, sometimes shared."""
    if c.sources and rng.random() < 0.15:           # several letters printed in one article
        return rng.choice(c.sources)
    periodical, _, start = rng.choice(PERIODICALS + (("Le Mouvement Social", "fr", 1960),))
    number = str(rng.randint(1, 250)) if rng.random() < 0.85 else None
    if (periodical, number) not in c.issue_dates:
        year = start + rng.randint(0, 40)
        m = rng.randrange(10)
        c.issue_dates[(periodical, number)] = rng.choice(
            (f"{MONTHS[m]}-{MONTHS[m + 2]} {year}", f"{MONTHS[m]} {year}", str(year), f"Spring {year}"))
    last = author.split()[-1]
    while True:
        title = rng.choice((f"Lettres inédites de {author}", f"Autour de {last}",
                            f"Une correspondance de {last} à {rng.choice(PLACES)}",
                            f"Cartas de {author}", f"Briefe von {last}", f"Lettere di {last}",
                            f"{author} et {rng.choice(TOPICS).removeprefix('the ').lower()}"))
        if slugify(title) not in c.article_slugs:
            break
        author = rng.choice(c.pool)
        last = author.split()[-1]
    c.article_slugs.add(slugify(title))
    source = (rng.choice(c.pool), title, periodical, number, c.issue_dates[(periodical, number)])
    c.sources.append(source)
    return source


def _colophon(rng: random.Random, source: tuple, translators: list[str]) -> list[str]:
    """The Retrieved / From / Translated lines, broken as the seed breaks them."""
    label, url = rng.choice(RETRIEVED_FROM)
    d = rng.randint(1, 28)
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(d, "th")
    lines = [f"Retrieved on {d}<sup>{suffix}</sup> {rng.choice(MONTHS)} {rng.randint(2008, 2023)} "
             f"from [{label}]({url})"]
    author, title, periodical, number, date = source
    from_ = f"From {author}, “{title},” in *{periodical}*" + (f", no. {number}" if number else "")
    head, _, year = date.rpartition(" ")
    if head and rng.random() < 0.5:                 # the seed's break: "…, April-June" / "1964."
        lines += [f"{from_}, {head}", f"{year}."]
    else:
        lines.append(f"{from_}, {date}.")
    if translators:
        names = " and ".join(translators)
        sentence = rng.choice((f"Translated for [marxists.org](http://marxists.org) by {names}.",
                               f"Translated by {names}."))
        if rng.random() < 0.5:                      # on the line the From sentence ends, as in the seed
            lines[-1] += f" {sentence}"
        else:
            lines.append(sentence)
    # A line no rule knows, kept verbatim as a note (first: see bench/README.md, "parser notes").
    return (["Proofread by a volunteer of the library."] if rng.random() < 0.05 else []) + lines


def _title(rng: random.Random, c: Corpus, author: str, recipient: str | None) -> str:
    """A title whose slug with the first author's name is new (the build's file slug)."""
    for attempt in range(1000):
        if recipient:
            title = f"{rng.choice(KINDS)} to {recipient.split()[-1]}"
            if rng.random() < 0.8:
                title += rng.choice((f" on {rng.choice(TOPICS)}", f" from {rng.choice(PLACES)}"))
        else:
            title = f"{rng.choice(ESSAYS)} {rng.choice(TOPICS)}"
            if rng.random() < 0.5:
                title += f" in {rng.choice(PLACES)}"
        if attempt > 20:
            title += f" ({attempt})"
        if slugify(author, title) not in c.slugs:
            return title
    raise RuntimeError("no unique title")          # pragma: no cover


def _text(rng: random.Random, c: Corpus) -> tuple[str, str]:
    """One document: ``(slug, file content)``; records its authority entry in ``c``."""
    authors = [rng.choice(c.pool) if rng.random() > 0.02 else "Victor Serge"]
    if rng.random() < 0.1:
        authors += [a for a in rng.sample(c.pool, rng.randint(1, 2)) if a != authors[0]]
    is_letter = rng.random() < 0.8
    recipients = [r for r in rng.sample(c.pool, rng.choice((1, 1, 1, 2))) if r not in authors] \
        if is_letter else []
    title = _title(rng, c, authors[0], recipients[0] if recipients else None)
    slug = slugify(authors[0], title)
    c.slugs.add(slug)
    source = _print_source(rng, c, authors[0])
    translators = [] if rng.random() < 0.1 else \
        rng.sample(c.pool, 1) if rng.random() < 0.95 else rng.sample(c.pool, 2)
    mentions, extra = [], []
    if is_letter and rng.random() < 0.25:
        periodical = rng.choice(PERIODICALS)[0]
        extra.append(f"Have you seen the last issue of “*{periodical}*”?")
        mentions.append({"quote": periodical, "periodical": periodical})
    if is_letter and rng.random() < 0.15:
        quote = f"the letter from {rng.choice(PLACES)}"
        extra.append(f"I never received {quote}.")
        mentions.append({"quote": quote, "kind": "letter"})
    signature = authors[0] if rng.random() < 0.5 else \
        f"{authors[0].split()[0][0]}. {authors[0].split()[-1]}"
    body = _body(rng, c, recipients[0] if recipients else None, signature, extra)
    subtitle = None
    if rng.random() < 0.7:
        subtitle = rng.choice((f"“{_sentence(rng, c.pool)}”", f"A reply to {rng.choice(c.pool)}",
                               f"Written in {rng.choice(PLACES)}"))
    date = _date(rng)
    header_authors = ", ".join(authors) if rng.random() < 0.5 else " and ".join(authors)
    head = [f"# {title}"] + ([f"**{subtitle}**"] if subtitle else []) + [header_authors, date]
    colophon = [", ".join(authors), title] + ([subtitle] if subtitle else []) + [date]
    content = ("\n\n" + "\n\n".join(head + body) + "\n\nThe Anarchist Library  \nAnti-Copyright\n\n\n\n"
               + "  \n".join(colophon) + "\n\n" + "  \n".join(_colophon(rng, source, translators))
               + "\n\n**[theanarchistlibrary.org](http://theanarchistlibrary.org)**")
    if is_letter:
        c.texts[slug] = {"recipients": recipients or [rng.choice(c.pool)], "mentions": mentions,
                         "original_language": rng.choice(LANGS) if translators else "en",
                         "url": rng.random() < 0.5}
    return slug, content


# --- the authority file ------------------------------------------------------

def _s(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _authority(rng: random.Random, c: Corpus, real: dict) -> str:
    """TOML appended to the real authority file (``real``, parsed): sources, persons, periodicals, texts.

    A periodical or organization the real file already has keeps its real entry.
    """
    have = lambda section, name: slugify(name) in {slugify(k) for k in real.get(section, {})}
    out = ["", "", "# --- synthetic entries (bench/synthetic.py) ---------------------------------", "",
           '[sources.SYN]', 'title = "Synthetic benchmark data (bench/synthetic.py)"',
           'url = "https://example.org/epistola-bench/"', "",
           '[sources.SYN-NOURL]', 'title = "Synthetic benchmark data without a web address"', ""]
    fact = lambda value, src="SYN", lang=None: (
        "{ value = " + (_s(value) if isinstance(value, str) else "[" + ", ".join(map(_s, value)) + "]")
        + (f", lang = {_s(lang)}" if lang else "") + f", source = {_s(src)} }}")
    for i, name in enumerate(c.pool):
        if rng.random() < 0.3:                     # most people have an entry, not all
            continue
        out.append(f"[persons.{_s(name)}]")
        born = rng.randint(1840, 1910)
        out.append(f"birth_date = {fact(f'{born}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}')}")
        if rng.random() < 0.8:
            out.append(f"death_date = {fact(f'{born + rng.randint(30, 90)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}')}")
        if rng.random() < 0.4:
            out.append(f"other_names = [ {fact(name.split()[-1].upper(), 'SYN-NOURL', 'fr')} ]")
        if rng.random() < 0.5:
            out.append(f"description = {fact(rng.choice(('Typographer and militant', 'Schoolteacher', 'Printer, editor of a small paper', 'Shoemaker and orator')), 'SYN', 'en')}")
        if rng.random() < 0.3:
            out.append(f"same_as = [ {fact(f'https://example.org/epistola-bench/person/{i}')} ]")
        out.append("")
    for title, lang, start in (p for p in PERIODICALS if not have("periodicals", p[0])):
        out += [f"[periodicals.{_s(title)}]", f"language = {fact(lang)}", f"start_date = {fact(str(start))}",
                f"founder = {fact(rng.choice(c.pool))}", f"publisher = {fact(ORGANIZATIONS[0][0])}",
                f"description = {fact('A synthetic periodical', lang='en')}", ""]
    for name, host in (o for o in ORGANIZATIONS if not have("organizations", o[0])):
        out += [f"[organizations.{_s(name)}]", f"url = {fact(f'https://{host}/')}", f"hosts = [{_s(host)}]", ""]
    for slug, e in c.texts.items():
        out += [f"[texts.{slug}]", f"kind = {fact('letter')}", f"recipients = {fact(e['recipients'])}",
                f"original_language = {fact(e['original_language'])}"]
        if e["url"]:
            out.append(f"url = {fact(f'https://theanarchistlibrary.org/library/{slug}')}")
        if e["mentions"]:
            out.append("mentions = [" + ", ".join(
                "{ " + ", ".join(f"{k} = {_s(v)}" for k, v in m.items()) + ', source = "SYN" }'
                for m in e["mentions"]) + "]")
        out.append("")
    return "\n".join(out)


def generate(out_dir: Path, n: int, seed: int = 1, include_seed: bool = True,
             pool_size: int = 400) -> Path:
    """Write ``n`` synthetic texts (+ the real seed) and an authority file into ``out_dir``."""
    out_dir = Path(out_dir)
    texts = out_dir / "texts"
    if texts.exists():
        shutil.rmtree(texts)
    texts.mkdir(parents=True)
    rng = random.Random(seed)
    real_text = (SEED_CORPUS / "authority.toml").read_text(encoding="utf-8")
    real = tomllib.loads(real_text)
    c = Corpus(pool=_pool(rng, pool_size, {slugify(k) for k in real.get("persons", {})}))
    if include_seed:
        shutil.copy(SEED_CORPUS / "texts" / f"{SEED_SLUG}.txt", texts)
        c.slugs.add(SEED_SLUG)
        c.article_slugs.add(slugify("De Kibaltchiche à Victor Serge"))
        c.issue_dates[("Le Mouvement Social", "47")] = "April-June 1964"
    for _ in range(n):
        slug, content = _text(rng, c)
        (texts / f"{slug}.txt").write_text(content, encoding="utf-8")
    (out_dir / "authority.toml").write_text(real_text.rstrip("\n") + "\n" + _authority(rng, c, real) + "\n",
                                            encoding="utf-8")
    return out_dir


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="directory to write texts/ and authority.toml into")
    p.add_argument("--texts", "-n", type=int, default=1000, help="number of synthetic texts")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    p.add_argument("--no-seed-text", action="store_true", help="do not copy the real seed letter")
    args = p.parse_args(argv)
    generate(args.out, args.texts, args.seed, include_seed=not args.no_seed_text)
    print(f"{args.out}: {args.texts} texts", file=sys.stderr)


if __name__ == "__main__":
    main()
