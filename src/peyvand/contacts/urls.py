from peyvand.contacts.views import duplicates, imports, lists, picker, privacy, records, search, settings

app_name = "contacts"

urlpatterns = [
    *lists.urlpatterns,
    *records.urlpatterns,
    *settings.urlpatterns,
    *imports.urlpatterns,
    *duplicates.urlpatterns,
    *privacy.urlpatterns,
    *search.urlpatterns,
    *picker.urlpatterns,
]
