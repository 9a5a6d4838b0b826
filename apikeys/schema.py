"""How the API description (drf-spectacular) names the key scheme: an `Authorization` header whose
value starts with `Api-Key `. Imported by the app's ready() so the extension registers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "apikeys.authentication.ApiKeyAuthentication"
    name = "institutionApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Authorization: Api-Key <prefix>.<secret>"}
