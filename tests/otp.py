"""A test client's session past the second factor, marked the way django-otp's own login marks it:
the session names the confirmed device the user passed. Uses the user's authenticator when they have
one (the demo accounts do), or makes one."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def pass_second_factor(client, user, device=None):
    """`client` (already signed in as `user`) as if the user had typed their code. Returns the device."""
    if device is None:
        device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
                  or TOTPDevice.objects.create(user=user, name="test", confirmed=True))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
