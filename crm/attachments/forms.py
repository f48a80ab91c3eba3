from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from crm.core.forms import empty_to_none


class UploadForm(FlaskForm):
    file = FileField(_l("Photo or document"), validators=[FileRequired(_l("Choose a file."))])
    caption = StringField(_l("Caption"), validators=[Optional(), Length(max=300)], filters=[empty_to_none])
