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
# # BIF og SOF om førtidspension
#
# Koordinationsgruppen fremhæver det formaliserede samarbejde mellem Beskæftigelses- og
# Integrationsforvaltningen (BIF) og Socialforvaltningen (SOF) som væsentligt: to fælles
# direktionsmøder om året, en styregruppe, der mødes hver anden måned, tre netværksgrupper
# (blandt andet om førtidspension), kontaktpersoner på alle centre og SOF-medarbejdere som
# konsulenter i BIF's visitationsteam.
#
# Notesbogen viser, hvad data siger om afhængigheden. Ret de tre navne herunder for at se
# et andet par forvaltninger eller en anden opgave.

# %%
from graph import load_knowledge
from graph.present.coordination import dependency_report
from graph.present.whatif import describe, what_if_dict
from graph.questions.whatif import without_forum
from graph.render.charts import plot_meeting_rhythm, plot_process_chain, plot_what_if
from graph.render.embed import network_frame
from graph.render.networks import referral_network
from graph.render.tables import html_table

# %%
FIRST = "bif"
SECOND = "sof"
TASK = "førtidspension"

# %%
kg = load_knowledge()
# personal=True: the notebook reads the data files itself, contact persons included.
report = dependency_report(kg, FIRST, SECOND, task=TASK, personal=True)
print(
    f"{' og '.join(u['label'] for u in report['units'])} om KLE {report['task']['notation']} "
    f"{report['task']['label']}. Fælles opgaver: {len(report['shared_tasks'])}. "
    f"Fælles fora: {len(report['forums'])} med {report['meetings_per_year']} faste møder om "
    f"året. Kontaktpersonordninger: {len(report['contact_arrangements'])}."
)

# %% [markdown]
# ## Forløbet på tværs af enhederne
#
# En sag om førtidspension går gennem fire enheder. Borgeren kommer ind i jobcentret; det er
# også dér, en henvisning skal ende.

# %%
plot_process_chain(kg, TASK)

# %%
html_table(
    report["process"],
    {
        "step": "Trin",
        "label": "Hvad",
        "unit": "Enhed",
        "role_label": "Rolle",
        "source": "Kilde",
        "status_label": "Status",
    },
)

# %% [markdown]
# ## Henvisningsvejen fra hver side
#
# Den billigste vej fra hver forvaltning til den enhed, der tager imod sagen.

# %%
html_table(report["referrals"], {"from": "Fra", "to": "Til", "cost": "Pris", "route": "Vej"})

# %% [markdown]
# ## Fælles fora og mødefrekvens
#
# Fora, hvor begge forvaltninger deltager, og som handler om opgaven (eller om alt).
# Grå søjler: mødefrekvensen står ikke i kilderne.

# %%
plot_meeting_rhythm(kg, FIRST, SECOND, task=TASK)

# %%
html_table(
    report["forums"],
    {"label": "Forum", "rhythm": "Møder", "agenda": "Faste punkter", "source": "Kilde"},
)

# %% [markdown]
# ## Kontaktpersoner og medarbejdere på tværs

# %%
html_table(
    report["contact_arrangements"],
    {"label": "Ordning", "unit": "Enhed", "side_label": "Side", "status_label": "Status"},
)

# %%
html_table(
    report["cross_memberships"],
    {
        "member": "Hvem",
        "role": "Som",
        "organization": "Hvor",
        "since": "Siden",
        "note": "Bemærkning",
    },
)

# %% [markdown]
# ## Samarbejdet som netværk
#
# BIF's og SOF's enheder og forbindelserne mellem dem. Røde forbindelser er
# kontaktpersonerne fra BIF–SOF-samarbejdet.

# %%
network_frame(
    referral_network(kg, units=kg.subtree(FIRST) | kg.subtree(SECOND)),
    heading="BIF og SOF",
    height=480,
)

# %% [markdown]
# ## Hvad hvis samarbejdet ophørte?
#
# Uden BIF–SOF-samarbejdet (og dets styregruppe, netværksgrupper og kontaktpersoner) bliver
# henvisningsvejene mellem de to forvaltningers enheder længere. Her regnet fra alle BIF's
# og SOF's enheder.

# %%
ended = without_forum(kg, "bif-sof", doors=sorted(kg.subtree(FIRST) | kg.subtree(SECOND)))
print(describe(ended))
plot_what_if(ended)

# %%
html_table(
    what_if_dict(ended)["longer"],
    {
        "door": "Fra",
        "task.notation": "KLE",
        "task.label": "Opgave",
        "before.cost": "Pris før",
        "after.cost": "Pris efter",
        "after.route": "Vej efter",
    },
    limit=20,
)
