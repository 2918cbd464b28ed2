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
# # Overblik: hvem gør hvad i Københavns Kommune
#
# Notesbogen giver den tværgående koordinationsgruppe et overblik over, hvordan kommunens
# opgaver (KLE) er fordelt på forvaltningerne, og hvor sikkert vi ved det. Den kan køres
# uændret før hvert møde: alle tal hentes fra de leverede data, når notesbogen køres.
#
# Alle beregninger ligger i biblioteket (`graph.present.coordination`,
# `graph.render.charts`); notesbogen kalder kun funktionerne og viser resultatet.

# %%
from graph import load_knowledge
from graph.present.coordination import kle_coverage, responsibility_by_administration, summary
from graph.render.charts import (
    plot_kle_coverage,
    plot_responsibility,
    plot_responsibility_by_main_group,
)
from graph.render.tables import html_table, key_figures

kg = load_knowledge()
figures = summary(kg)
print(
    f"Datagrundlag {kg.fingerprint[:12]}: {figures['units']} enheder, "
    f"{figures['tasks']} opgaver, {figures['participations']} ansvar, {figures['forums']} fora."
)

# %% [markdown]
# ## Nøgletal
#
# De vigtigste tal fra de tre næste notesbøger: overlap, huller og flaskehalse.

# %%
key_figures(kg)

# %% [markdown]
# ## Hvem gør hvad – pr. forvaltning
#
# Antal KLE-emner, som hver forvaltning er ansvarlig for: enten fordi emnet selv nævner en
# ansvarlig enhed, eller fordi KLE-gruppen over det har en standardejer. Den grønne del er
# bekræftet i en kilde; den grå er antaget og skal bekræftes af forvaltningen selv.

# %%
plot_responsibility(kg)

# %%
html_table(
    responsibility_by_administration(kg)["rows"],
    {
        "label": "Forvaltning",
        "groups": "KLE-grupper",
        "topics": "KLE-emner",
        "topics_confirmed": "heraf bekræftet",
        "topics_own": "heraf med eget ansvar på emneniveau",
    },
)

# %% [markdown]
# ## Hvem gør hvad – pr. KLE-hovedgruppe
#
# Varmekortet viser, hvilke forvaltninger der varetager emnerne i hver KLE-hovedgruppe.
# Hovedgrupper med flere farvede felter er dem, hvor stafetten oftest skal gå på tværs.

# %%
plot_responsibility_by_main_group(kg)

# %% [markdown]
# ## KLE-dækning og status
#
# Hvor kommer svaret på "hvem er ansvarlig?" fra? Mørkegrøn: emnet har sin egen, bekræftede
# ansvarlige. Blå: emnet arver en bekræftet ansvarlig fra sin KLE-gruppe. Lysegrå: emnet
# arver en antaget standardejer. Rød: ingen ansvarlig.

# %%
plot_kle_coverage(kg)

# %%
coverage = kle_coverage(kg)
html_table(
    coverage["rows"],
    {"level": "Niveau", **coverage["category_labels"], "total": "i alt"},
)
