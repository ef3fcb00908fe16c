"""The Member States' short names as messages, so each reader gets the Interinstitutional Style Guide's
form in their language (section 7.1.1; French "Tchéquie", German "Tschechien").

A Member State's `name` is data (fixtures/data/member_states.csv, in English); its English short name is the
msgid. The order of Member States is the protocol order in every language (ISG 7.1.2: "in both cases, the
States are listed according to the protocol order"), stored as `MemberState.protocol_order`, never the
alphabetical order of the translated names."""

from django.utils.translation import pgettext_lazy

SHORT_NAMES = {
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Belgium": pgettext_lazy("Member State short name", "Belgium"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Bulgaria": pgettext_lazy("Member State short name", "Bulgaria"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Czechia": pgettext_lazy("Member State short name", "Czechia"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Denmark": pgettext_lazy("Member State short name", "Denmark"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Germany": pgettext_lazy("Member State short name", "Germany"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Estonia": pgettext_lazy("Member State short name", "Estonia"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Ireland": pgettext_lazy("Member State short name", "Ireland"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Greece": pgettext_lazy("Member State short name", "Greece"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Spain": pgettext_lazy("Member State short name", "Spain"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "France": pgettext_lazy("Member State short name", "France"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Croatia": pgettext_lazy("Member State short name", "Croatia"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Italy": pgettext_lazy("Member State short name", "Italy"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Cyprus": pgettext_lazy("Member State short name", "Cyprus"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Latvia": pgettext_lazy("Member State short name", "Latvia"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Lithuania": pgettext_lazy("Member State short name", "Lithuania"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Luxembourg": pgettext_lazy("Member State short name", "Luxembourg"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Hungary": pgettext_lazy("Member State short name", "Hungary"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Malta": pgettext_lazy("Member State short name", "Malta"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Netherlands": pgettext_lazy("Member State short name", "Netherlands"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Austria": pgettext_lazy("Member State short name", "Austria"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Poland": pgettext_lazy("Member State short name", "Poland"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Portugal": pgettext_lazy("Member State short name", "Portugal"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Romania": pgettext_lazy("Member State short name", "Romania"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Slovenia": pgettext_lazy("Member State short name", "Slovenia"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Slovakia": pgettext_lazy("Member State short name", "Slovakia"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Finland": pgettext_lazy("Member State short name", "Finland"),
    # Translators: an EU Member State's short name (Interinstitutional Style Guide, section 7.1.1).
    "Sweden": pgettext_lazy("Member State short name", "Sweden"),
}


def member_state_name(english: str) -> str:
    """The short name in the active language of the Member State whose English short name is `english`;
    a name the list does not know is shown as stored."""
    name = SHORT_NAMES.get(english)
    return str(name) if name is not None else english
