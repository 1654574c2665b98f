"""Click's own usage errors (a missing argument, an unknown option...) in the user's language.

Click words its messages in English; each form it uses is listed here as a msgid with placeholders, and a
message is translated by matching it against these forms (the placeholders' values, such as option
names, are kept as typed). A message of a form not listed stays in English.
"""

import re
from functools import cache

from kbo_cli.i18n import N_, _, current_language

FORMS = (
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing parameter: {name}"),
    N_("No such option: {name}"),
    N_("No such command {name}."),
    N_("Got unexpected extra argument(s) ({args})"),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {count} arguments."),
    N_("Option {name} does not take a value."),
    N_("Invalid value for {name}: {reason}"),
    N_("Invalid value: {reason}"),
    N_("{value} is not one of {choices}."),
    N_("Value {value} is not a valid {kind}."),
)
SUFFIXES = (
    N_("(Possible options: {names})"),
    N_("Did you mean {names}?"),
)


def _pattern(form: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", form)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(regex, re.DOTALL)


@cache
def _patterns(forms: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    return [(form, _pattern(form)) for form in forms]


#: what pydantic puts before the reason a value was refused (Typer checks choices with pydantic)
_PYDANTIC_PREFIX = re.compile(r"(?<=: )Value error, ")


def translate(message: str) -> str:
    """A Click message in the user's language (unchanged in English or when its form is unknown), without
    pydantic's "Value error, " before a reason."""
    message = _PYDANTIC_PREFIX.sub("", message.strip())
    if current_language() == "en":
        return message
    for suffix, pattern in _patterns(SUFFIXES):
        found = re.search(r"\s*" + pattern.pattern + r"$", message)
        if found:
            head = message[: found.start()].rstrip().rstrip(".") + "."
            return f"{translate(head)} {_(suffix, **found.groupdict())}"
    for form, pattern in _patterns(FORMS):
        found = pattern.fullmatch(message)
        if found:
            values = found.groupdict()
            if "reason" in values:
                values["reason"] = translate(values["reason"])
            return _(form, **values)
    return message
