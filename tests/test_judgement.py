"""A suite judged success-first (BOOLEAN_ONLY, then in full when it fails) records what a full judgement records."""

from __future__ import annotations

import pytest

from warehouse import loader
from warehouse.db import connect


@pytest.mark.slow  # Great Expectations takes seconds to import and configure
def test_the_success_first_judgement_records_the_outcomes_of_a_full_judgement(tmp_path):
    from expectations import runner

    con = connect(tmp_path / "news.duckdb")
    loader.reset_staging(con)
    # one failing suite (a duplicate article_id in articles), the others passing
    for source_id in ("a", "b", "c"):
        con.execute("insert into staging.articles values (?, ?, 'Title', 'Body text.', null, null, ?, 'new')",
                    ["same-id" if source_id != "c" else "other-id", source_id, f"sha-{source_id}"])
    loader.finish_staging(con)
    audits = runner.audit(con)
    con.close()
    validation = runner.Validation(tmp_path / "reports")

    judged = validation.judge(audits)

    # every suite's one validation definition, run with the checkpoint's own result format (as Checkpoint.run)
    frames = {suite: (frame, rows) for suite, frame, rows in audits}
    full = []
    for spec, _, checkpoint in validation.suites:
        frame, rows = frames[spec["suite"]]
        for definition in checkpoint.validation_definitions:
            result = definition.run(batch_parameters={"dataframe": frame}, result_format=checkpoint.result_format)
            full += [runner._outcome(spec["suite"], outcome, rows) for outcome in result.results]
    assert judged.outcomes == full
    [unique] = [o for o in judged.outcomes if o.expectation == "expect_column_values_to_be_unique" and o.column == "article_id"]
    assert (unique.success, unique.unexpected_count) == (False, 2)
    assert sum(not o.success for o in judged.outcomes) == 1
