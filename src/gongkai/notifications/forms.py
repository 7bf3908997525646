from django import forms

from gongkai.notifications.models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email_enabled", "sms_enabled", "phone", "digest_enabled"]
