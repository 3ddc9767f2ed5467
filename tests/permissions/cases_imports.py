"""The answers for the import wizard and the imports API.

Anyone who may create some persons, companies or leads may import; a job is its user's alone:
anyone else's is 404, whatever their scope.
"""

from __future__ import annotations

from tests.permissions.world import BUILDERS, LOGIN, Case, World

PAGE = (LOGIN, 403, 200, 200, 200, 200)
API = (401, 403, 200, 200, 200, 200)
NOT_YOURS = (LOGIN, 403, 404, 404, 404, 404)
NOT_YOURS_API = (401, 403, 404, 404, 404, 404)
YOURS_ONLY = (LOGIN, 403, 200, 404, 404, 404)  # the "own" persona's job


def _jobs(world: World) -> None:
    from peyvand.contacts.models import ImportJob, ImportRowError

    def job(user: object, status: str) -> ImportJob:
        return ImportJob.objects.create(
            user=user, kind="person", file_name="people.csv", file_format="csv", status=status,
            headers=["Name", "Mobile"], mapping={"Name": "name", "Mobile": "phone:mobile"}, total_rows=2,
            processed_rows=2, created_count=1, failed_count=1,
        )  # fmt: skip

    stranger_job = job(world.stranger, ImportJob.Status.DONE)
    ImportRowError.objects.create(job=stranger_job, row_number=3, values={"Name": "x", "Mobile": "1"},
                                  errors=[{"column": "Mobile", "field": "phone:mobile", "message": "short"}])  # fmt: skip
    world.extra["import_of_stranger"] = stranger_job
    world.extra["uploaded_import_of_stranger"] = job(world.stranger, ImportJob.Status.UPLOADED)
    world.extra["failed_import_of_stranger"] = job(world.stranger, ImportJob.Status.FAILED)
    world.extra["import_of_own"] = job(world.users["own"], ImportJob.Status.DONE)


BUILDERS.append(_jobs)


def _id(name: str) -> object:
    return lambda world: [world.extra[name].pk]


CASES: list[Case] = [
    Case("contacts:import_list", PAGE),
    Case("contacts:import_upload", PAGE),
    Case("contacts:import_upload", PAGE, method="POST", data=lambda w: {"kind": "person"}, note="no file"),
    Case("contacts:import_detail", NOT_YOURS, args=_id("import_of_stranger")),
    Case("contacts:import_detail", YOURS_ONLY, args=_id("import_of_own"), note="own persona's job"),
    Case("contacts:import_mapping", NOT_YOURS, args=_id("uploaded_import_of_stranger")),
    Case(
        "contacts:import_mapping",
        NOT_YOURS,
        method="POST",
        args=_id("uploaded_import_of_stranger"),
        data=lambda w: {"column_0": "name", "column_1": ""},
    ),
    Case("contacts:import_options", NOT_YOURS, args=_id("uploaded_import_of_stranger")),
    Case(
        "contacts:import_options",
        NOT_YOURS,
        method="POST",
        args=_id("uploaded_import_of_stranger"),
        data=lambda w: {"on_duplicate": "create"},
    ),
    Case("contacts:import_progress", NOT_YOURS, args=_id("import_of_stranger")),
    Case("contacts:import_errors_csv", NOT_YOURS, args=_id("import_of_stranger")),
    Case("contacts:import_errors_csv", YOURS_ONLY, args=_id("import_of_own"), note="own persona's job"),
    Case("contacts:import_retry", NOT_YOURS, method="POST", args=_id("failed_import_of_stranger")),
    Case("contacts:import_delete", NOT_YOURS, method="POST", args=_id("import_of_stranger")),
    Case("contacts:import_delete", (LOGIN, 405, 405, 405, 405, 405), args=_id("import_of_stranger"), note="GET"),
    # The API: a JSON body is not an upload (422 for those who may import)
    Case("POST /imports", (401, 403, 422, 422, 422, 422), method="POST", data=lambda w: {"kind": "person"}),
    Case("GET /imports", API),
    Case("GET /imports/{job_id}", NOT_YOURS_API, args=_id("import_of_stranger")),
    Case("GET /imports/{job_id}/errors", NOT_YOURS_API, args=_id("import_of_stranger")),
]
