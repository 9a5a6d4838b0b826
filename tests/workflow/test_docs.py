"""The documentation of the workflows (docs/workflows.md and a diagram per workflow) is what
`manage.py workflow_docs` writes from the declarations today: written again here and compared, so that
a changed workflow with unchanged documentation fails."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from workflow.registry import all_workflows

DOCS = Path(settings.BASE_DIR) / "docs"


def test_the_committed_documentation_is_what_the_declarations_give(tmp_path):
    # given the documentation written afresh from the code
    call_command("workflow_docs", output=str(tmp_path), stdout=open(tmp_path / "log", "w"))  # noqa: SIM115
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file() and p.name != "log")
    # then it is one page and a diagram per workflow
    assert written == sorted([Path("workflows.md"), *(Path("workflows") / f"{w.key}.svg" for w in all_workflows())])
    # and the committed files are the same, byte for byte, with no diagram of a workflow that is gone
    committed = sorted(p.relative_to(DOCS) for p in [DOCS / "workflows.md", *(DOCS / "workflows").glob("*.svg")])
    assert committed == written, "run `python manage.py workflow_docs` and commit docs/workflows*"
    for relative in written:
        assert (DOCS / relative).read_bytes() == (tmp_path / relative).read_bytes(), (
            f"docs/{relative} differs from the declarations: run `python manage.py workflow_docs` and commit it")


def test_the_page_has_a_section_per_workflow_with_its_diagram_states_and_steps(tmp_path):
    call_command("workflow_docs", output=str(tmp_path), stdout=open(tmp_path / "log", "w"))  # noqa: SIM115
    page = (tmp_path / "workflows.md").read_text(encoding="utf-8")
    for workflow in all_workflows():
        assert f"## {workflow.label} (`{workflow.key}`)" in page
        assert f"![{workflow.label}](workflows/{workflow.key}.svg)" in page
    # e.g. the loan application: the bank accepts, the station or the enterprise may withdraw
    assert "| 已提交 | 受理 | `accept` | 银行已受理 | 银行客户经理 |" in page
    assert "| 已提交 | 撤回 | `withdraw` | 已撤回 | 金融服务站工作人员、企业用户 |" in page
    assert "| 已提交 | `submitted` | initial | 受理银行 | — |" in page


def test_a_diagram_of_a_workflow_no_longer_declared_is_removed(tmp_path):
    (tmp_path / "workflows").mkdir()
    (tmp_path / "workflows" / "gone.svg").write_text("<svg/>")
    call_command("workflow_docs", output=str(tmp_path), stdout=open(tmp_path / "log", "w"))  # noqa: SIM115
    assert not (tmp_path / "workflows" / "gone.svg").exists()
