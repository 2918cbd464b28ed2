# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Overlap, huller og flaskehalse
#
# Koordinationsgruppens faste gennemgang: hvor overlapper ansvaret, hvor mangler det, og
# hvor skal stafetten oftest igennem en mellemstation? Listerne kan også hentes som
# regneark med `stafet export --format xlsx`, og det hele som én rapport med
# `stafet report -o rapport.html`.

# %%
from graph import load_knowledge
from graph.present.coordination import (
    arrangements_without_contact,
    communities,
    tasks_without_owner,
)
from graph.present.quality import gaps_json, overlaps_json
from graph.present.tables import bottleneck_table, overlap_table
from graph.questions.quality import gaps, overlaps
from graph.render.charts import plot_bottlenecks, plot_gap_counts, plot_overlap_matrix
from graph.render.embed import network_frame
from graph.render.networks import referral_network
from graph.render.tables import html_table, key_figures

kg = load_knowledge()
found_overlaps = overlaps_json(kg, overlaps(kg))
found_gaps = gaps_json(kg, gaps(kg))
key_figures(kg)

# %% [markdown]
# ## Overlap
#
# Et overlap er en opgave, hvor to enheder har samme rolle over for den samme borger. To
# *ansvarlige* er alvorligst (alvor "høj"): så ved ingen, hvem der træffer afgørelsen.
# En opgave, der er delt efter betingelser som alder, er ikke et overlap, men et sted, hvor
# stafetten skal afleveres rigtigt.

# %%
print(
    f"{found_overlaps['counts']['overlaps']} opgaver med flere enheder i samme rolle, "
    f"heraf {found_overlaps['counts']['ansvarlig_overlaps']} med to ansvarlige; "
    f"{found_overlaps['counts']['split_by_conditions']} opgaver delt efter betingelser."
)
html_table(
    overlap_table(kg),
    {
        "type": "Type",
        "kle": "KLE",
        "opgave": "Opgave",
        "rolle": "Rolle",
        "enheder": "Enheder",
        "betingelser": "Betingelser",
        "alvor": "Alvor",
    },
)

# %% [markdown]
# ### Forvaltning × forvaltning
#
# Til venstre: opgaver, hvor to forvaltninger har samme rolle (overlap). Til højre: opgaver,
# hvor begge deltager i en eller anden rolle – de steder, hvor de skal kende hinanden.

# %%
plot_overlap_matrix(kg, "matrix")

# %%
plot_overlap_matrix(kg, "shared")

# %% [markdown]
# ## Huller
#
# Det, der mangler: ansvar, kontaktoplysninger og bekræftelser.

# %%
plot_gap_counts(kg)

# %% [markdown]
# ### Opgaver uden ansvarlig (for alle eller for en aldersgruppe)

# %%
html_table(
    [*found_gaps["tasks_without_ansvarlig"], *tasks_without_owner(kg)],
    {"notation": "KLE", "label": "Opgave", "ages": "Aldersgruppe uden ansvarlig"},
)

# %% [markdown]
# ### Enheder uden eget kontaktpunkt
#
# En kollega, der skal aflevere stafetten, kan ikke finde telefonnummer eller e-mail. "Arver
# fra" er den nærmeste overordnede enhed med et kontaktpunkt.

# %%
html_table(
    found_gaps["units_without_contact"],
    {"label": "Enhed", "forvaltning": "Forvaltning", "inherits_from": "Arver kontakt fra"},
)

# %% [markdown]
# ### Kontaktpersonordninger uden telefon og e-mail
#
# Ordningerne findes (fx kontaktpersoner på alle centre i BIF og SOF), men ingen af dem har
# et registreret telefonnummer eller en e-mail.

# %%
html_table(
    arrangements_without_contact(kg),
    {"label": "Ordning", "unit": "Enhed", "serves": "Er indgang for"},
)

# %% [markdown]
# ### Love, som ingen opgave henviser til, og fora uden medlemmer

# %%
html_table(
    [*found_gaps["laws_not_cited"], *found_gaps["forums_without_members"]],
    {"id": "Id", "label": "Navn"},
)

# %% [markdown]
# ### Opgaver, hvis ansvar kun hviler på antagelser
#
# De første 25 af listen; hele listen står i regnearket.

# %%
html_table(
    found_gaps["tasks_only_antaget"],
    {"notation": "KLE", "label": "Opgave", "units": "Antaget ansvarlig", "via": "Fra KLE-niveau"},
    limit=25,
)

# %% [markdown]
# ## Flaskehalse
#
# For hver opgave med sin egen ansvarlige eller udførende enhed og for hver af de sædvanlige
# indgange (de syv forvaltninger, Borgerrådgiveren og Borgerservice) er den korteste
# henvisningsvej fundet. Søjlerne tæller, hvor ofte en enhed ligger *undervejs* – hverken
# indgang eller mål. "Betweenness" måler det samme for alle par af enheder, uanset opgave.

# %%
plot_bottlenecks(kg)

# %%
html_table(
    bottleneck_table(kg),
    {
        "enhed": "Enhed",
        "forvaltning": "Forvaltning",
        "passager": "Passager",
        "andel": "Andel",
        "opgaver": "Opgaver",
        "betweenness": "Betweenness",
    },
    limit=15,
)

# %% [markdown]
# ## Fællesskaber
#
# Grupper af enheder, der er tættere forbundet med hinanden end med resten (Louvain-metoden
# på henvisningsgrafen; en kontaktperson binder stærkere end et fælles forum, og et forum
# stærkere end vejen gennem organisationen).

# %%
html_table(communities(kg), {"name": "Fællesskab", "members": "Enheder"})

# %% [markdown]
# ## Henvisningsgrafen
#
# Træk i enhederne, zoom, og hold musen over en enhed eller en forbindelse. Farven viser
# fællesskabet, størrelsen hvor ofte stafetten passerer enheden. Røde forbindelser er
# kontaktpersoner, blå fælles fora, grønne formelle samarbejder, grå stiplede vejen gennem
# organisationen. Eksterne myndigheder og politiske udvalg er udeladt.

# %%
network_frame(referral_network(kg, colour_by="community"), heading="Henvisningsgrafen")
