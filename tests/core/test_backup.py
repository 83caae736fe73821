"""Backup → restore into an empty instance → the same export, the same files, a trace that
still verifies."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.core.trace_helpers import sealed_and_verified
from traza.api.transfer import dumps, export_data
from traza.core.services import SYSTEM
from traza.repository import services as repository_services
from traza.repository.models import DocumentVersion

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trips_database_and_files(tmp_path, settings, django_user_model):
    from pathlib import Path

    from django.contrib.auth.models import Group

    from traza.plans import services as plan_services

    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", real_only=True, verbosity=0)
    from traza.plans.models import ActionPlan

    plan = ActionPlan.objects.get(number=3)
    repository_services.publish_document(
        SYSTEM,
        {
            "kind": "action_plan",
            "title": "Plan aprobado",
            "document_date": "2017-12-27",
            "plan": plan,
        },
        SimpleUploadedFile("plan.pdf", PDF),
    )
    officer = django_user_model.objects.create_user("sgp", "sgp@example.org", "x-Strong-1")
    officer.groups.add(Group.objects.get(name="secretariat"))
    officer = django_user_model.objects.get(pk=officer.pk)
    plan_services.save_theme(officer, None, {"slug": "nuevo", "name": "Nuevo eje"})
    before = dumps(export_data())
    version = DocumentVersion.objects.get()
    archive = tmp_path / "traza.tar.gz"
    call_command("backup", str(archive), verbosity=0)

    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(Path(settings.MEDIA_ROOT).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    call_command("restore", str(archive), verbosity=0)

    assert dumps(export_data()) == before
    restored = DocumentVersion.objects.get()
    assert restored.sha256 == version.sha256
    assert hashlib.sha256(restored.file.read()).hexdigest() == version.sha256
    assert sealed_and_verified() is None
    restored_user = django_user_model.objects.get(username="sgp")
    assert restored_user.check_password("x-Strong-1")
    assert list(restored_user.groups.values_list("name", flat=True)) == ["secretariat"]
    from traza.core.models import TraceEvent

    assert TraceEvent.objects.filter(actor=restored_user).count() == 1
    with pytest.raises(CommandError, match=r"vacía|empty"):
        call_command("restore", str(archive), verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_and_writes_nothing(tmp_path):
    from traza.plans.models import ActionPlan

    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"not a backup")
    with pytest.raises(CommandError):
        call_command("restore", str(bad), verbosity=0)
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "absent.tar.gz"), verbosity=0)
    assert not ActionPlan.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_private_and_holds_no_second_factor_key(tmp_path, settings, django_user_model):
    import os
    import stat
    import tarfile

    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.MEDIA_ROOT = str(tmp_path / "media")
    staff = django_user_model.objects.create_user(
        "sgp", "sgp@example.org", "x-Strong-1", is_staff=True
    )
    device = TOTPDevice.objects.create(user=staff, name="Traza", confirmed=True)
    # a pending set-up link points at a device: it stays out too, or the restore would break
    from django.utils import timezone

    from traza.accounts.models import SecondFactorEnrolment

    SecondFactorEnrolment.objects.create(
        user=staff, token_hash="0" * 64, expires_at=timezone.now(), device=device
    )
    archive = tmp_path / "traza.tar.gz"
    archive.write_bytes(b"an older backup")
    archive.chmod(0o644)
    previous = os.umask(0o022)
    try:
        call_command("backup", str(archive), verbosity=0)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive, "r:gz") as backup:
        data = backup.extractfile("data.trazajsonl").read().decode()
    assert '"sgp"' in data  # the account is there...
    assert device.key not in data and "otp_totp" not in data  # ...its TOTP secret is not
    assert "secondfactorenrolment" not in data

    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(archive), verbosity=0)
    restored = django_user_model.objects.get(username="sgp")
    assert restored.is_staff and restored.check_password("x-Strong-1")
    assert not TOTPDevice.objects.exists()  # staff set up their second factor again
    assert not SecondFactorEnrolment.objects.exists()
    assert sealed_and_verified() is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("dump_name", ["data.trazajson", "data.trazajsonl"])
def test_a_backup_written_before_officers_moved_to_plans_still_restores(
    tmp_path, settings, django_user_model, dump_name
):
    """Officers were monitoring's until plans 0005: an older backup names them (and, in the
    groups' permissions, their content type) that way, and restores all the same — a
    version 1 backup (one JSON document) or a version 2 one (JSON Lines)."""
    import io
    import json
    import tarfile

    from django.contrib.auth.models import Group

    from traza.plans.models import Officer, Organization

    settings.MEDIA_ROOT = str(tmp_path / "media")
    user = django_user_model.objects.create_user("oficial", "oficial@example.org", "x-Strong-1")
    organization = Organization.objects.create(slug="minam", name="Minam", sector="public")
    Officer.objects.create(user=user, organization=organization)
    archive = tmp_path / "traza.tar.gz"
    call_command("backup", str(archive), verbosity=0)

    with tarfile.open(archive, "r:gz") as backup:
        objects = [json.loads(line) for line in backup.extractfile("data.trazajsonl")]
        manifest = json.loads(backup.extractfile("manifest.json").read())
    for obj in objects:
        if obj["model"] == "plans.officer":
            obj["model"] = "monitoring.officer"
        if obj["model"] == "auth.group":
            obj["fields"]["permissions"] = [
                [codename, "monitoring", model] if model == "officer" else [codename, app, model]
                for codename, app, model in obj["fields"]["permissions"]
            ]
    if dump_name == "data.trazajson":
        old = json.dumps(objects).encode()
    else:
        old = b"".join(json.dumps(obj).encode() + b"\n" for obj in objects)
    assert b'"monitoring", "officer"' in old and b'"monitoring.officer"' in old
    manifest["data_sha256"] = hashlib.sha256(old).hexdigest()
    with tarfile.open(archive, "w:gz") as backup:
        for name, content in [(dump_name, old), ("manifest.json", json.dumps(manifest))]:
            content = content if isinstance(content, bytes) else content.encode()
            info = tarfile.TarInfo(name)
            info.size = len(content)
            backup.addfile(info, io.BytesIO(content))

    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(archive), verbosity=0)
    officer = Officer.objects.get()
    assert (officer.user.username, officer.organization.slug) == ("oficial", "minam")
    held = Group.objects.get(name="secretariat").permissions.filter(codename="delete_officer")
    assert [p.content_type.app_label for p in held] == ["plans"]


def _queries(action) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


@pytest.mark.django_db
def test_backup_and_reindex_cost_the_same_queries_for_4_or_40_responses(tmp_path):
    """Many-to-many values are read per chunk of objects and the index is written in
    batches: no query per response (issue 15.4)."""
    from tests import factories
    from traza.repository.search import reindex_all

    def answered(n: int) -> None:
        commitment = factories.CommitmentFactory()
        version = commitment.versions.get()
        for _ in range(n):
            factories.ResponseFactory(
                contribution=factories.ContributionFactory(plan=commitment.plan),
                versions=[version],
            )

    answered(4)
    small_backup = _queries(lambda: call_command("backup", str(tmp_path / "a.tar.gz")))
    small_index = _queries(reindex_all)
    answered(36)
    large_backup = _queries(lambda: call_command("backup", str(tmp_path / "b.tar.gz")))
    large_index = _queries(reindex_all)
    assert large_backup == small_backup
    assert large_index == small_index
