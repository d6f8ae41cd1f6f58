use super::*;
use crate::diagnostic::Rule;
use crate::load::SourceFile;
use crate::parse::Parser;

fn today() -> Date {
    "2026-11-22".parse().unwrap()
}

fn model(path: &str, text: &str) -> (Document, Vec<Diagnostic>) {
    model_with(&Config::default(), path, text)
}

fn model_with(config: &Config, path: &str, text: &str) -> (Document, Vec<Diagnostic>) {
    let parsed = Parser::new(config).parse(&SourceFile {
        path: path.into(),
        text: text.into(),
        ..Default::default()
    });
    document(parsed, &Context::new(config, today()))
}

#[test]
fn kind_comes_from_front_matter_then_folder() {
    let cases = [
        ("features/a.md", "", Kind::Feature),
        ("prds/payments/a.md", "", Kind::Feature),
        ("specs/a.md", "", Kind::Feature),
        ("decisions/a.md", "", Kind::Decision),
        ("adr/a.md", "", Kind::Decision),
        ("adrs/a.md", "", Kind::Decision),
        ("docs/adr/a.md", "", Kind::Decision),
        ("doc/adr/a.md", "", Kind::Decision),
        ("roadmaps/a.md", "", Kind::Roadmap),
        ("guides/a.md", "", Kind::Page),
        ("a.md", "", Kind::Page),
        ("guides/a.md", "kind: decision\n", Kind::Decision),
        ("features/a.md", "kind: page\n", Kind::Page),
        ("notes/a.md", "kind: PRD\n", Kind::Feature),
    ];
    for (path, front, kind) in cases {
        let (doc, diags) = model(path, &format!("---\n{front}---\nbody\n"));
        assert_eq!(doc.kind, kind, "{path} {front}");
        assert!(diags.is_empty(), "{diags:?}");
    }
}

#[test]
fn unknown_kind_is_reported_and_folder_kind_used() {
    let (doc, diags) = model("features/a.md", "---\nkind: epic\n---\n");
    assert_eq!(doc.kind, Kind::Feature);
    assert_eq!(diags[0].rule, Rule::UnknownKind);
    assert_eq!((diags[0].line, diags[0].column), (2, 7));
}

#[test]
fn id_title_and_url_fall_back_sensibly() {
    let (doc, _) = model(
        "features/pay-101-payouts.md",
        "# Instant payouts\n\nBody.\n",
    );
    // A leading number (with its short prefix) is the id when no metadata gives one.
    assert_eq!(doc.id, "pay-101");
    assert_eq!(doc.title, "Instant payouts");
    assert_eq!(doc.url, "features/pay-101/");
    let (doc, _) = model(
        "features/payouts-v2.md",
        "# Payouts
",
    );
    assert_eq!(doc.id, "payouts-v2");
    let (doc, _) = model("features/x.md", "---\nid: PAY-101\ntitle: Payouts\n---\n");
    assert_eq!(
        (doc.id.as_str(), doc.url.as_str()),
        ("PAY-101", "features/pay-101/")
    );
    let (doc, _) = model("guides/index.md", "text");
    assert_eq!(doc.url, "guides/");
    let (doc, _) = model("README.md", "text");
    assert_eq!(doc.url, "readme/");
    let (doc, _) = model("people/index.md", "text");
    assert_eq!(doc.url, "pages/people/");
}

#[test]
fn unknown_status_suggests_the_closest() {
    let (doc, diags) = model("features/a.md", "---\nid: A\nstatus: shiped\n---\n");
    let d = diags
        .iter()
        .find(|d| d.rule == Rule::UnknownStatus)
        .unwrap();
    assert_eq!((d.line, d.column), (3, 9));
    assert!(d.help.as_ref().unwrap().contains("did you mean 'shipped'"));
    let status = doc.status.unwrap();
    assert_eq!(status.index, None);
    assert_eq!(status.raw, "shiped");
}

#[test]
fn status_aliases_map_to_canonical_names() {
    let (doc, diags) = model("decisions/a.md", "---\nstatus: Accepted\n---\n");
    assert!(diags.is_empty());
    let s = doc.status.unwrap();
    assert_eq!((s.name.as_str(), s.raw.as_str()), ("accepted", "Accepted"));
    assert_eq!(s.phase, Some(Phase::Done));
}

#[test]
fn metrics_get_verdicts_and_the_feature_an_outcome() {
    let text = "---\nid: A\nstatus: shipped\nshipped: 2026-03-01\nmetrics:\n  - name: Conv\n    baseline: 2.1%\n    target: \">= 2.6%\"\n    actual: 2.8%\n    measured: 2026-06-01\n  - name: Latency\n    target: \"<= 300ms\"\n---\n";
    let (doc, diags) = model("features/a.md", text);
    // The per-feature outcome rules run with the model: the unmeasured goal is overdue.
    let rules: Vec<_> = diags.iter().map(|d| d.rule).collect();
    assert_eq!(rules, [Rule::ReviewOverdue], "{diags:?}");
    assert_eq!(doc.dates.review, Some("2026-05-30".parse().unwrap()));
    let verdicts: Vec<_> = doc.metrics.iter().map(|m| m.verdict).collect();
    assert_eq!(verdicts, [Some(Verdict::Met), Some(Verdict::Overdue)]);
    assert_eq!(doc.outcome, Some(Verdict::Overdue));
}

#[test]
fn unreadable_metric_target_is_reported_at_the_target() {
    let text = "---\nmetrics:\n  - name: Conv\n    target: \"about 3\"\n---\n";
    let (doc, diags) = model("features/a.md", text);
    assert_eq!(diags[0].rule, Rule::MetricTarget);
    assert_eq!(diags[0].line, 4);
    assert_eq!(doc.metrics[0].verdict, None);
    let text = "---\nmetrics:\n  - name: Conv\n    baseline: 2%\n    target: 300ms\n---\n";
    let (_, diags) = model("features/a.md", text);
    assert_eq!(diags[0].rule, Rule::MetricUnit);
}

#[test]
fn loose_lists_and_relations() {
    let text = "---\ndecisions: ADR-1, ADR-2\ndepends_on: 7\nlinks: [X]\n---\n";
    let (doc, diags) = model("features/a.md", text);
    assert!(diags.is_empty(), "{diags:?}");
    let rels: Vec<(RelationKind, &str)> = doc
        .relations
        .iter()
        .map(|r| (r.kind, r.target.as_str()))
        .collect();
    assert_eq!(
        rels,
        [
            (RelationKind::Decision, "ADR-1"),
            (RelationKind::Decision, "ADR-2"),
            (RelationKind::DependsOn, "7"),
            (RelationKind::Link, "X"),
        ]
    );
}

#[test]
fn bad_dates_and_wrong_types_are_reported() {
    let text = "---\ncreated: 2023-14-05\ntitle: [a, b]\nrice: 5\n---\n";
    let (_, diags) = model("features/a.md", text);
    let rules: Vec<(Rule, u32)> = diags.iter().map(|d| (d.rule, d.line)).collect();
    assert!(rules.contains(&(Rule::InvalidDate, 2)), "{rules:?}");
    assert!(rules.contains(&(Rule::InvalidField, 3)), "{rules:?}");
    assert!(rules.contains(&(Rule::InvalidField, 4)), "{rules:?}");
}

#[test]
fn unknown_fields_warn_with_a_suggestion() {
    let (doc, diags) = model("features/a.md", "---\nstauts: draft\ncolour: red\n---\n");
    assert_eq!(diags.len(), 2);
    assert_eq!(diags[0].rule, Rule::UnknownField);
    assert_eq!(diags[0].help.as_deref(), Some("did you mean `status`?"));
    assert_eq!(doc.extra.len(), 2);
}

#[test]
fn rice_score_and_percent_confidence() {
    let text = "---\nrice: { reach: 1000, impact: 2, confidence: 80%, effort: 4 }\n---\n";
    let (doc, diags) = model("features/a.md", text);
    assert!(diags.is_empty(), "{diags:?}");
    assert!((doc.rice.unwrap().score - 400.0).abs() < 1e-9);
}

#[test]
fn roadmap_horizons() {
    let text = "---\nid: RM\n---\n## Now\n\n- [A](../features/a.md)\n\n## 2027 Q1\n\n- thing\n\n## Risks\n";
    let (doc, _) = model("roadmaps/r.md", text);
    let whens: Vec<When> = doc.horizons.iter().map(|h| h.when).collect();
    assert_eq!(whens, [When::Now, When::Next, When::Other]);
    assert_eq!(doc.horizons[0].items[0].link, Some(0));
}

#[test]
fn quarters_are_placed_relative_to_today() {
    let t = today(); // 2026-11
    assert_eq!(when_of("2026 Q4", t), When::Now);
    assert_eq!(when_of("Q3 2026", t), When::Past);
    assert_eq!(when_of("2027 Q1", t), When::Next);
    assert_eq!(when_of("2027-H2", t), When::Later);
    assert_eq!(when_of("2028", t), When::Later);
    assert_eq!(when_of("Later", t), When::Later);
    assert_eq!(when_of("Themes", t), When::Other);
}

#[test]
fn decisions_take_deciders_as_owners() {
    let (doc, _) = model("decisions/a.md", "---\ndecision-makers: [ann, bob]\n---\n");
    let owners: Vec<&str> = doc.owners.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(owners, ["ann", "bob"]);
}

#[test]
fn dates_take_a_time_after_them_but_nothing_else() {
    use fields::parse_date;
    let day = Some("2026-01-10".parse::<Date>().unwrap());
    for ok in [
        "2026-01-10",
        "2026-01-10T09:00:00Z",
        "2026-01-10t09:00",
        "2026-01-10 09:00",
        "2026-01-10  09:00:00.25 +02:00",
        "2026-01-10 09:00:00 -0500",
        "2026-01-10 9:00:00.10 -5",
        "2026-01-10 10:00 UTC",
        "(2026-01-10)",
    ] {
        assert_eq!(parse_date(ok), day, "{ok:?}");
    }
    for junk in [
        "2026-01-10 oops",
        "2026-01-10T",
        "2026-01-10 :00",
        "2026-01-10 09:00 tomorrow",
        "2026-01-10 09:00:0",
        "2026-01-10 09:00:00.",
        "2026-01-10 09:00:00:00",
        "2026-01-10 09:00 +",
        "2026-01-10 (approved)",
    ] {
        assert_eq!(parse_date(junk), None, "{junk:?}");
    }
}

#[test]
fn a_date_with_trailing_words_is_reported_at_the_field() {
    let (doc, diags) = model(
        "features/a.md",
        "---\nid: A\ncreated: 2026-01-01 oops\n---\n",
    );
    assert_eq!(doc.dates.created, None);
    let d = diags
        .iter()
        .find(|d| d.rule == Rule::InvalidDate)
        .expect("a diagnostic");
    assert_eq!((d.line, d.column), (3, 10));
}

#[test]
fn rice_that_overflows_is_unscored_and_reported() {
    let cases = [
        // The product overflows to infinity, and infinity × 0 is NaN.
        "{ reach: 1e200, impact: 1e200, confidence: 0, effort: 1 }",
        // Infinity.
        "{ reach: 1e200, impact: 1e200, confidence: 1, effort: 1 }",
        // Finite product, infinite quotient.
        "{ reach: 1e300, impact: 10, confidence: 1, effort: 1e-300 }",
        // Inputs that are not finite non-negative numbers.
        "{ reach: inf, impact: 1, confidence: 1, effort: 1 }",
        "{ reach: NaN, impact: 1, confidence: 1, effort: 1 }",
        "{ reach: -5, impact: 1, confidence: 1, effort: 1 }",
    ];
    for rice in cases {
        let text = format!("---\nid: A\nrice: {rice}\n---\n");
        let (doc, diags) = model("features/a.md", &text);
        assert_eq!(doc.rice, None, "{rice}");
        let d = diags
            .iter()
            .find(|d| d.rule == Rule::InvalidField)
            .expect(rice);
        assert_eq!(d.line, 3, "{rice}");
    }
    // Huge but finite: scored as written.
    let text = "---\nrice: { reach: 1e150, impact: 1e150, confidence: 0.5, effort: 2 }\n---\n";
    let (doc, diags) = model("features/a.md", text);
    assert!(diags.is_empty(), "{diags:?}");
    let score = doc.rice.map(|r| r.score).unwrap();
    assert!((score / 2.5e299 - 1.0).abs() < 1e-12, "{score}");
}

#[test]
fn titles_drop_a_leading_number_that_repeats_the_id_and_keep_inline_code() {
    for (path, text, title) in [
        (
            "decisions/0009-translations.md",
            "# 0009. Translations\n",
            "Translations",
        ),
        (
            "decisions/0039-domains.md",
            "# 39. Domain policy\n",
            "Domain policy",
        ),
        ("decisions/adr-007-logs.md", "# ADR-7: Logging\n", "Logging"),
        // A number that is not the id's, or that runs into a word, stays.
        ("decisions/0009-x.md", "# 10. Ten\n", "10. Ten"),
        (
            "roadmaps/2024-roadmap.md",
            "# 2024 roadmap\n",
            "2024 roadmap",
        ),
        ("features/0002-v.md", "# 2.0 plans\n", "2.0 plans"),
        (
            "features/use-go.md",
            "# Use `go install`\n",
            "Use `go install`",
        ),
        (
            "features/no-h1.md",
            "Intro.\n\n# The title\n\n## More\n",
            "The title",
        ),
        (
            "features/h2.md",
            "## Only a section title\n\nText.\n",
            "Only a section title",
        ),
        ("features/plain.md", "Text.\n\n## Summary\n", "Plain"),
    ] {
        let (doc, _) = model(path, text);
        assert_eq!(doc.title, title, "{path}");
    }
}
