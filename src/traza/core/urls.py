"""The trace's public head: stable addresses, the same in every language (trace_views.py)."""

from django.urls import path

from traza.core import trace_views as views

app_name = "trace"

urlpatterns = [
    path("public-key.pem", views.public_key_pem, name="public_key"),
    path("public-key.json", views.public_key_json, name="public_key_json"),
    path("checkpoints.json", views.checkpoint_list, name="checkpoints"),
    path("checkpoints.atom", views.CheckpointFeed(), name="checkpoint_feed"),
    path("checkpoints/latest.json", views.checkpoint_latest, name="checkpoint_latest"),
    path("checkpoints/<int:size>.json", views.checkpoint_detail, name="checkpoint"),
    path("proofs/inclusion/<int:event_id>.json", views.inclusion_proof, name="inclusion"),
    path(
        "proofs/consistency/<int:first>/<int:second>.json",
        views.consistency_proof,
        name="consistency",
    ),
    path("traza_verify.py", views.verifier, name="verifier"),
]
