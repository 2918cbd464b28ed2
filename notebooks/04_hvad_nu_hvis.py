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
# # Hvad nu hvis? Omorganisering
#
# Hvad sker der med ansvaret og med henvisningsvejene, hvis en enhed nedlægges, to enheder
# lægges sammen, eller et forum ophører? Notesbogen regner på en kopi af data; de rigtige
# data ændres ikke.
#
# For hver ændring vises
#
# - **opgaver uden ansvarlig**: opgaver (eller aldersgrupper), der havde en ansvarlig og
#   mister den;
# - **opgaver med ny ansvarlig**: opgaver, der falder tilbage på en anden enhed, fx KLE-gruppens
#   standardejer;
# - **henvisningsveje**, der brydes eller bliver længere eller kortere, regnet fra de
#   sædvanlige indgange (de syv forvaltninger, Borgerrådgiveren og Borgerservice).
#
# Ret navnene herunder for at prøve andre ændringer.

# %%
from graph import load_knowledge
from graph.present.whatif import describe, removal_impact, what_if_dict
from graph.questions.whatif import merge_units, without_forum, without_unit
from graph.render.charts import plot_removal_impact, plot_what_if
from graph.render.tables import html_table

# %%
REMOVE = "sof-borgercenter-handicap"
MERGE = ("suf-hjaelpemiddelcentret", "sof-borgercenter-handicap")
END_FORUM = "koordinationsgruppen"

# %%
kg = load_knowledge()
ROUTE_COLUMNS = {
    "door": "Fra",
    "task.notation": "KLE",
    "task.label": "Opgave",
    "ages": "Alder",
    "before.cost": "Pris før",
    "after.cost": "Pris efter",
    "before.route": "Vej før",
    "after.route": "Vej efter",
}
OWNER_COLUMNS = {"notation": "KLE", "label": "Opgave", "ages": "Alder", "owners_before": "Før"}

# %% [markdown]
# ## En enhed nedlægges
#
# Enhedens opgaver mister den; dens underenheder flyttes op til enheden over den.

# %%
removed = without_unit(kg, REMOVE)
print(describe(removed))
plot_what_if(removed)

# %%
html_table(what_if_dict(removed)["unowned"], OWNER_COLUMNS)

# %%
removed_routes = what_if_dict(removed)
html_table([*removed_routes["broken"], *removed_routes["longer"]], ROUTE_COLUMNS, limit=20)

# %% [markdown]
# ## To enheder lægges sammen
#
# Den første enhed overtager alt fra den anden: opgaver, underenheder, medlemskaber,
# kontaktpersoner. Ingen opgave bør miste sin ansvarlige, og veje kan blive kortere.

# %%
merged = merge_units(kg, *MERGE)
print(describe(merged))
plot_what_if(merged)

# %%
merged_routes = what_if_dict(merged)
html_table(
    [*merged_routes["broken"], *merged_routes["longer"], *merged_routes["shorter"]],
    ROUTE_COLUMNS,
    limit=20,
)

# %% [markdown]
# ## Et forum ophører
#
# Forummet og de fora, der er en del af det, ophører; det samme gør medlemskaberne og de
# kontaktpersonordninger, der kun tjente forummet.

# %%
ended = without_forum(kg, END_FORUM)
print(describe(ended))
plot_what_if(ended)

# %%
ended_routes = what_if_dict(ended)
html_table([*ended_routes["broken"], *ended_routes["longer"]], ROUTE_COLUMNS, limit=20)

# %% [markdown]
# ## Hvilke enheder er mest sårbare?
#
# Hver af kommunens enheder fjernet én ad gangen. Forvaltningerne topper, fordi de er
# standardejere for mange KLE-grupper; blandt de mindre enheder står de, der alene bærer en
# opgave eller en forbindelse.

# %%
impact = removal_impact(kg)
plot_removal_impact(impact)

# %%
html_table(
    impact,
    {
        "label": "Enhed",
        "administration_label": "Forvaltning",
        "unowned": "Opgaver uden ansvarlig",
        "broken": "Veje brudt",
        "longer": "Veje længere",
    },
    limit=20,
)
