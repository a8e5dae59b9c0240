import Foundation
import LivingTogetherCore
import Vapor

enum BenchmarkViews {
    struct Conflict { var saved: AssessmentContent; var by: String?; var at: Date? }

    static func index(_ ctx: PageContext, frameworks: [(row: FrameworkVersion, framework: Framework)], assessments: [(Assessment, String)],
                      startable: [BenchmarkController.Membership], canUpload: Bool, form: BenchmarkController.StartForm,
                      errors: FieldErrors, existing: Assessment? = nil, status: HTTPStatus = .ok) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue
        let themes = frameworks.map { item -> HTML in
            """
            <li><a href="\(SiteURL.framework(item.row.frameworkKey).path)">\(item.framework.title(lang))</a> — \(t.plural("benchmarks.keyFactorCount", count: Double(item.framework.keyFactors.count), String(item.framework.keyFactors.count))), \(t("benchmarks.version", String(item.row.version)))</li>
            """
        }
        let rows = assessments.map { a, orgName -> HTML in
            let title = frameworks.first { $0.row.frameworkKey == a.frameworkKey }?.framework.title(lang) ?? a.frameworkKey
            let link = a.isSubmitted ? SiteURL.assessmentReport(a.id).path : SiteURL.assessment(a.id).path
            return "<tr><th scope=\"row\"><a href=\"\(link)\">\(title) \(a.year)</a></th><td>\(orgName)</td><td>\(t("assessment.status.\(a.status)"))</td><td>\(HTML.when(a.published, "\(t("report.published"))"))</td></tr>"
        }
        let current = Calendar(identifier: .gregorian).component(.year, from: Date())
        let startForm: HTML = startable.isEmpty ? .empty : """
        <h2 id="start">\(t("benchmarks.start"))</h2>
        \(Form.errorSummary(errors, t))
        \(existing.map { "<p><a href=\"\(SiteURL.assessment($0.id).path)\">\(t("benchmarks.openExisting"))</a></p>" as HTML })
        <form method="post" action="\(SiteURL.assessments.path)" novalidate>
        \(ctx.csrfField)
        \(Form.select(name: "organisation", label: t("field.municipality"), options: startable.map { (value: String($0.id), label: $0.name) }, selected: form.organisation, error: Form.message(errors, "organisation", t)))
        \(Form.select(name: "framework", label: t("field.theme"), options: frameworks.map { (value: $0.row.frameworkKey, label: $0.framework.title(lang)) }, selected: form.framework, error: Form.message(errors, "framework", t)))
        \(Form.input(.init(name: "year", label: t("field.year"), value: form.year ?? String(current), error: Form.message(errors, "year", t), extra: " inputmode=\"numeric\"")))
        <div class="actions"><button type="submit">\(t("benchmarks.startButton"))</button></div>
        </form>
        """
        let main: HTML = """
        <h1>\(t("benchmarks.title"))</h1>
        <p class="lead">\(t("benchmarks.intro"))</p>
        <h2>\(t("benchmarks.themes"))</h2>
        <ul>\(themes)</ul>
        \(HTML.when(canUpload, "<p><a href=\"\(SiteURL.frameworkUpload.path)\">\(t("benchmarks.upload"))</a></p>"))
        \(HTML.when(!assessments.isEmpty, """
        <h2>\(t("benchmarks.yours"))</h2>
        <table class="list"><thead><tr><th scope="col">\(t("field.assessment"))</th><th scope="col">\(t("field.municipality"))</th><th scope="col">\(t("field.status"))</th><th scope="col">\(t("report.publication"))</th></tr></thead><tbody>\(rows)</tbody></table>
        """))
        \(startForm)
        """
        return Layout.page(ctx, title: t("benchmarks.title"), main: main, status: status)
    }

    /// A text in the page's language, marked as English where the translation is missing.
    static func text(_ l: LocalizedText, _ ctx: PageContext) -> HTML {
        let r = l.resolve(ctx.language.rawValue)
        return r.isFallback ? "<span lang=\"en\" class=\"fallback\" title=\"\(ctx.t("content.untranslated"))\">\(r.text)</span>" : "\(r.text)"
    }

    static func scaleTable(_ f: Framework, _ ctx: PageContext) -> HTML {
        let rows = f.scale.levels.map { l -> HTML in "<tr><th scope=\"row\">\(l.value) — \(text(l.label, ctx))</th><td>\(text(l.description, ctx))</td></tr>" }
        return "<table class=\"list scale\"><caption>\(ctx.t("framework.scale"))</caption><tbody>\(rows)</tbody></table>"
    }

    static func framework(_ ctx: PageContext, row: FrameworkVersion, framework f: Framework,
                          reports: [BenchmarkController.PublishedReport] = []) -> Response {
        let t = ctx.t
        let kfs = f.keyFactors.enumerated().map { i, k -> HTML in
            """
            <section class="key-factor" aria-labelledby="kf-\(k.id)">
            <h3 id="kf-\(k.id)">\(i + 1). \(text(k.title, ctx))</h3>
            <p>\(text(k.rationale, ctx))</p>
            <h4>\(t("framework.questions"))</h4>
            <ul>\(k.questions.map { "<li>\(text($0.text, ctx))</li>" as HTML })</ul>
            \(HTML.when(!k.tips.isEmpty, "<h4>\(t("framework.tips"))</h4><ul>\(k.tips.map { "<li>\(text($0, ctx))</li>" as HTML })</ul>"))
            \(HTML.when(!k.practices.isEmpty, "<h4>\(t("framework.practices"))</h4><ul>\(k.practices.map { practice($0, ctx) })</ul>"))
            </section>
            """
        }
        let sources = f.sources.map { s -> HTML in
            "<li>\(s.title)\(s.publisher.map { ", \($0)" as HTML })\(s.year.map { " (\(String($0)))" as HTML })\(s.url.map { " <a href=\"\($0)\">\($0)</a>" as HTML })</li>"
        }
        let main: HTML = """
        <p><a href="\(SiteURL.benchmarks.path)">← \(t("benchmarks.title"))</a></p>
        <h1>\(text(f.title, ctx))</h1>
        <p class="kind">\(t("benchmarks.version", String(row.version))) · <a href="\(SiteURL.frameworkDownload(row.frameworkKey).path)?version=\(row.version)">\(t("framework.download"))</a></p>
        <p class="lead">\(text(f.rationale, ctx))</p>
        \(HTML.when(!reports.isEmpty, """
        <h2>\(t("framework.reports"))</h2>
        <ul>\(reports.map { "<li><a href=\"\(SiteURL.assessmentReport($0.id).path)\">\($0.organisation) \(String($0.year))</a></li>" as HTML })</ul>
        """))
        <h2>\(t("framework.keyFactors"))</h2>
        \(kfs)
        <h2>\(t("framework.context"))</h2>
        <ul>\(f.contextFactors.map { "<li>\(text($0.label, ctx))</li>" as HTML })</ul>
        <h2>\(t("framework.scaleTitle"))</h2>
        \(scaleTable(f, ctx))
        <h2>\(t("framework.sources"))</h2>
        <ul>\(sources)</ul>
        <p>\(t("framework.licence", f.licence))</p>
        """
        return Layout.page(ctx, title: f.title(ctx.language.rawValue), main: main)
    }

    static func practice(_ p: Framework.Practice, _ ctx: PageContext) -> HTML {
        "<li><strong>\(text(p.title, ctx))</strong>\(p.place.map { " (\($0))" as HTML }): \(text(p.description, ctx))</li>"
    }

    /// The problems of an uploaded content file (framework or catalogue), each with its file and field path.
    static func problemList(_ problems: [FrameworkError], _ t: Translator) -> HTML {
        guard !problems.isEmpty else { return .empty }
        return """
        <div class="error-summary" role="alert" tabindex="-1"><h2>\(t.plural("upload.problems", count: Double(problems.count), String(problems.count)))</h2>
        <ul>\(problems.map { "<li><code>\($0.file)</code>\($0.path.isEmpty ? "" : " · ")<code>\($0.path)</code>: \($0.problem)</li>" as HTML })</ul></div>
        """
    }

    static func upload(_ ctx: PageContext, text: String, problems: [FrameworkError], status: HTTPStatus = .ok) -> Response {
        let t = ctx.t
        let main: HTML = """
        <h1>\(t("upload.title"))</h1>
        <p>\(t("upload.intro"))</p>
        \(problemList(problems, t))
        <form method="post" action="\(SiteURL.frameworkUpload.path)" enctype="multipart/form-data" novalidate>
        \(ctx.csrfField)
        \(Form.jsonUpload(fileLabel: t("upload.file"), pasteLabel: t("upload.paste"), text: text, problemsMessage: problems.isEmpty ? nil
            : t.plural("upload.problems", count: Double(problems.count), String(problems.count))))
        <div class="actions"><button type="submit">\(t("upload.button"))</button></div>
        </form>
        """
        return Layout.page(ctx, title: t("upload.title"), main: main, status: status)
    }

    // MARK: the assessment form

    static func assessment(_ ctx: PageContext, assessment a: Assessment, organisation org: Organisation, framework f: Framework,
                           content: AssessmentContent, revision: Int, canEdit: Bool, errors: [String: String], conflict: Conflict?,
                           status: HTTPStatus = .ok) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue
        let title = t("assessment.title", f.title(lang), String(a.year), org.name)
        func fieldID(_ name: String) -> String { "f-" + name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined() }
        func error(_ name: String) -> HTML { errors[name].map { "<p class=\"error\" id=\"\(fieldID(name))-error\">\($0)</p>" } ?? .empty }
        func invalid(_ name: String) -> HTML {
            errors[name] == nil ? .empty : " aria-invalid=\"true\" aria-describedby=\"\(fieldID(name))-error\""
        }
        /// Where a colleague saved something else meanwhile: both texts, side by side.
        func theirs(_ mine: String, _ saved: String?, label: String) -> HTML {
            guard conflict != nil, let saved, saved != mine else { return .empty }
            return "<div class=\"conflict\"><p><strong>\(t("conflict.savedText", label))</strong></p><pre>\(saved.isEmpty ? t("conflict.empty") : saved)</pre></div>"
        }
        let disabled: HTML = canEdit ? .empty : " disabled"
        let kfSections = f.keyFactors.enumerated().map { i, k -> HTML in
            let r = content.ratings[k.id] ?? Rating()
            let saved = conflict?.saved.ratings[k.id] ?? (conflict == nil ? nil : Rating())
            let questions = k.questions.map { q -> HTML in
                let name = "answer:\(k.id)/\(q.id)"
                let mine = content.answers["\(k.id)/\(q.id)"] ?? ""
                return """
                <div class="field"><label for="\(fieldID(name))">\(text(q.text, ctx))</label>\(error(name))
                <textarea id="\(fieldID(name))" name="\(name)" rows="2"\(invalid(name))\(disabled)>\(mine)</textarea>
                \(theirs(mine, conflict.map { $0.saved.answers["\(k.id)/\(q.id)"] ?? "" }, label: q.text(lang)))</div>
                """
            }
            let levelName = "level:\(k.id)", evidenceName = "evidence_text:\(k.id)", commentsName = "comments:\(k.id)"
            let levels = f.scale.levels.map { l -> HTML in
                let id = "\(fieldID(levelName))-\(l.value)"
                return "<div class=\"choice\"><input type=\"radio\" id=\"\(id)\" name=\"\(levelName)\" value=\"\(l.value)\"\(HTML.when(r.level == l.value, " checked"))\(disabled)><label for=\"\(id)\"><strong>\(l.value) — \(text(l.label, ctx))</strong>: \(text(l.description, ctx))</label></div>"
            }
            let evidence = EvidenceKind.allCases.map { kind -> HTML in
                let name = "evidence:\(k.id):\(kind.rawValue)"
                return Form.select(name: name, label: t(kind.labelKey), options: EvidenceGrade.allCases.map { (value: $0.rawValue, label: t($0.labelKey)) },
                                   selected: (r.evidence[kind] ?? .notAssessed).rawValue, error: errors[name], id: fieldID(name),
                                   disabled: !canEdit)
            }
            let savedLevel = saved.flatMap { $0.level.map(String.init) } ?? ""
            return """
            <section class="key-factor" aria-labelledby="kf-\(k.id)">
            <h2 id="kf-\(k.id)">\(i + 1). \(text(k.title, ctx))</h2>
            <details><summary>\(t("assessment.why"))</summary><p>\(text(k.rationale, ctx))</p></details>
            <h3>\(t("framework.questions"))</h3>
            \(questions)
            <fieldset class="levels\(errors[levelName] == nil ? "" : " has-error")"\(HTML.when(errors[levelName] != nil, " aria-describedby=\"\(fieldID(levelName))-error\"")) id="\(fieldID(levelName))">
            <legend>\(t("assessment.level", k.title(lang)))</legend>
            \(error(levelName))
            \(levels)
            </fieldset>
            \(theirs(r.level.map(String.init) ?? "", conflict == nil ? nil : savedLevel, label: t("assessment.level", k.title(lang))))
            <fieldset class="evidence"><legend>\(t("assessment.evidenceGrades"))</legend>\(evidence)</fieldset>
            <div class="field"><label for="\(fieldID(evidenceName))">\(t("assessment.evidence"))</label>\(error(evidenceName))\
            <textarea id="\(fieldID(evidenceName))" name="\(evidenceName)" rows="3"\(invalid(evidenceName))\(disabled)>\(r.evidenceText)</textarea>
            \(theirs(r.evidenceText, saved?.evidenceText, label: t("assessment.evidence")))</div>
            <div class="field"><label for="\(fieldID(commentsName))">\(t("assessment.comments"))</label>\(error(commentsName))\
            <textarea id="\(fieldID(commentsName))" name="\(commentsName)" rows="2"\(invalid(commentsName))\(disabled)>\(r.comments)</textarea>
            \(theirs(r.comments, saved?.comments, label: t("assessment.comments")))</div>
            </section>
            """
        }
        let contextFields = f.contextFactors.map { c -> HTML in
            let name = "context:\(c.id)"
            let mine = content.context[c.id] ?? ""
            return """
            <div class="field"><label for="\(fieldID(name))">\(text(c.label, ctx))</label>\(c.help.map { "<p class=\"hint\">\(text($0, ctx))</p>" as HTML })\(error(name))
            <textarea id="\(fieldID(name))" name="\(name)" rows="2"\(invalid(name))\(disabled)>\(mine)</textarea>\(theirs(mine, conflict.map { $0.saved.context[c.id] ?? "" }, label: c.label(lang)))</div>
            """
        }
        let conflictNotice: HTML = conflict.map { c in
            """
            <div class="error-summary" role="alert" tabindex="-1"><h2>\(t("conflict.title"))</h2><p>\(t("conflict.text", c.by ?? t("conflict.colleague"), c.at.map { AccountViews.date($0, t) } ?? ""))</p></div>
            """
        } ?? .empty
        // The form's field names in the order of the page, so that the error summary follows the form.
        let formOrder: [String] = f.keyFactors.flatMap { k in
            k.questions.map { "answer:\(k.id)/\($0.id)" } + ["level:\(k.id)", "evidence_text:\(k.id)", "comments:\(k.id)"]
        } + f.contextFactors.map { "context:\($0.id)" }
        let summary: HTML = {
            let list = errors.filter { $0.key != "_summary" }
            // Problems the form has no field for still show, last.
            let formOrder = formOrder + list.keys.filter { !formOrder.contains($0) }.sorted()
            guard !list.isEmpty || errors["_summary"] != nil else { return .empty }
            return """
            <div class="error-summary" role="alert" tabindex="-1"><h2>\(t("form.errorsTitle"))</h2>
            \(errors["_summary"].map { "<p>\($0)</p>" as HTML })
            <ul>\(formOrder.compactMap { f in list[f].map { "<li><a href=\"#\(fieldID(f))\">\($0)</a></li>" as HTML } })</ul></div>
            """
        }()
        let actions: HTML = canEdit ? """
        <div class="actions sticky"><button type="submit" name="action" value="save">\(t("assessment.save"))</button> <button type="submit" name="action" value="submit" class="secondary">\(t("assessment.submit"))</button></div>
        """ : "<p>\(t("assessment.readOnly"))</p>"
        let main: HTML = """
        <p><a href="\(SiteURL.benchmarks.path)">← \(t("benchmarks.title"))</a> · <a href="\(SiteURL.assessmentHistory(a.id).path)">\(t("assessment.history"))</a> · <a href="\(SiteURL.framework(a.frameworkKey).path)?version=\(f.version)">\(t("assessment.framework", String(f.version)))</a></p>
        <h1>\(title)</h1>
        <p>\(t("assessment.intro"))</p>
        \(conflictNotice)
        \(summary)
        <form method="post" action="\(SiteURL.assessment(a.id).path)" novalidate class="assessment">
        \(ctx.csrfField)
        <input type="hidden" name="revision" value="\(String(revision))">
        \(kfSections)
        <section aria-labelledby="context-title"><h2 id="context-title">\(t("framework.context"))</h2><p>\(t("assessment.contextIntro"))</p>\(contextFields)</section>
        \(actions)
        </form>
        \(HTML.when(canEdit && !a.isSubmitted, """
        <details class="danger-zone"><summary>\(t("assessment.deleteTitle"))</summary><p>\(t("assessment.deleteText"))</p>
        <form method="post" action="\(SiteURL.assessmentDelete(a.id).path)">\(ctx.csrfField)<button type="submit" class="danger">\(t("assessment.delete"))</button></form>
        </details>
        """))
        """
        return Layout.page(ctx, title: title, main: main, status: status)
    }

    // MARK: the report

    /// Library records per key factor, as a report's gaps list them.
    typealias LibraryLinks = [String: [(slug: String, title: LocalizedText)]]

    static func report(_ ctx: PageContext, _ r: AssessmentUseCases.Report, actor: Actor, library: LibraryLinks = [:]) -> Response {
        let (title, main) = reportMain(ctx, r, actor: actor, library: library)
        return Layout.page(ctx, title: title, main: main)
    }

    /// The report's title and main content. For visitors (no forms in it) the same for everyone of one language.
    /// The library's records on a key factor: the first five, and a link to all of them.
    static func libraryLinks(_ records: [(slug: String, title: LocalizedText)], keyFactor: String, _ ctx: PageContext) -> HTML {
        let t = ctx.t
        let items = records.prefix(5).map { "<li><a href=\"\(SiteURL.practice($0.slug).path)\">\(text($0.title, ctx))</a></li>" as HTML }
        return """
        <div class="advice no-print"><h4>\(t("report.library"))</h4><ul>\(items)</ul>
        \(HTML.when(records.count > 5, "<p><a href=\"\(SiteURL.knowledge.path)?key_factor=\(keyFactor)\">\(t("report.libraryAll", String(records.count)))</a></p>"))
        </div>
        """
    }

    static func reportMain(_ ctx: PageContext, _ r: AssessmentUseCases.Report, actor: Actor, library: LibraryLinks = [:]) -> (String, HTML) {
        let t = ctx.t, lang = ctx.language.rawValue
        let f = r.framework, a = r.assessment
        let orgID = r.organisation.id ?? 0
        let canPublish = BenchmarkPermissions.allows(actor, .publishReport(organisation: orgID))
        let isMember = BenchmarkPermissions.allows(actor, .viewAssessments(organisation: orgID))
        let title = t("report.title", f.title(lang), String(a.year), r.organisation.name)
        func fmt(_ d: Double) -> String { String(format: "%.1f", d) }
        var series: [SVGBarChart.Series] = [.init(name: String(a.year), values: r.figures.rows.map { $0.level.map(Double.init) })]
        if let p = r.previous { series.append(.init(name: String(p.year), values: r.figures.rows.map { $0.previous.map(Double.init) })) }
        if r.figures.peersShown { series.append(.init(name: t("report.peers"), values: r.figures.rows.map(\.peerAverage))) }
        let names = f.keyFactors.map { $0.title(lang) }
        let chart = SVGBarChart(id: "chart-\(a.id ?? 0)", title: t("report.chartTitle", f.title(lang), String(a.year)),
                                description: t("report.chartDesc"), categories: names, series: series,
                                minimum: 0, maximum: Double(f.scale.values.upperBound), format: { $0 == $0.rounded() ? String(Int($0)) : String(format: "%.1f", $0) }).render()
        let tableRows = zip(f.keyFactors, r.figures.rows).map { k, row -> HTML in
            """
            <tr><th scope="row"><a href="#kf-\(k.id)">\(text(k.title, ctx))</a></th><td class="num">\(row.level.map(String.init) ?? "–")</td>\(HTML.when(r.previous != nil, "<td class=\"num\">\(row.previous.map(String.init) ?? "–")</td>"))\(HTML.when(r.figures.peersShown, "<td class=\"num\">\(row.peerAverage.map(fmt) ?? "–")</td>"))<td>\(row.isGap ? t("report.gap") : row.isStrength ? t("report.strength") : "")</td></tr>
            """
        }
        let peerNote: HTML = r.figures.peersShown
            ? "<p>\(t("report.peersShown", String(r.figures.peerCount)))</p>"
            : "<p>\(t("report.peersHidden", String(PeerAverages.minimumPeers), String(r.figures.peerCount)))</p>"
        let sections = zip(f.keyFactors, r.figures.rows).map { k, row -> HTML in
            let rating = r.content.ratings[k.id] ?? Rating()
            let level = row.level.flatMap { f.scale.level($0) }
            let grades = EvidenceKind.allCases.map { kind -> HTML in "<li>\(t(kind.labelKey)): \(t((rating.evidence[kind] ?? .notAssessed).labelKey))</li>" }
            let answers = k.questions.compactMap { q -> HTML? in
                r.content.answers["\(k.id)/\(q.id)"].map { "<div><dt>\(text(q.text, ctx))</dt><dd>\($0)</dd></div>" }
            }
            let followUp: HTML = row.isGap && canPublish ? {
                let has = { (kind: String) in r.followUps.contains { $0.keyFactorID == k.id && $0.kind == kind } }
                func button(_ kind: String, _ label: String, _ done: String) -> HTML {
                    if has(kind) && kind == "action" {
                        return "<li>✓ \(done) · <a href=\"\(SiteURL.planActionNew(a.$organisation.id).path)?gap=\(a.id ?? 0):\(k.id)\">\(t("report.planAction"))</a></li>"
                    }
                    return has(kind) ? "<li>✓ \(done)</li>" : """
                    <li><form method="post" action="\(SiteURL.assessmentFollowUps(a.id).path)" class="inline">\(ctx.csrfField)<input type="hidden" name="key_factor" value="\(k.id)"><input type="hidden" name="kind" value="\(kind)"><button type="submit">\(label)</button></form></li>
                    """
                }
                return "<ul class=\"actions no-print\">\(button("action", t("report.toPlan"), t("report.inPlan")))\(button("mentor", t("report.findMentor"), t("report.mentorAsked")))</ul>"
            }() : .empty
            return """
            <section class="key-factor" aria-labelledby="kf-\(k.id)">
            <h3 id="kf-\(k.id)">\(text(k.title, ctx))</h3>
            <p class="level"><strong>\(t("report.level")): \(row.level.map(String.init) ?? "–")\(level.map { " — \($0.label(lang))" } ?? "")</strong>\(row.isGap ? " · \(t("report.gap"))" : row.isStrength ? " · \(t("report.strength"))" : "")</p>
            \(level.map { "<p>\(text($0.description, ctx))</p>" as HTML })
            <ul>\(grades)</ul>
            \(HTML.when(!rating.evidenceText.isEmpty, "<h4>\(t("assessment.evidence"))</h4><p class=\"prewrap\">\(rating.evidenceText)</p>"))
            \(HTML.when(!rating.comments.isEmpty, "<h4>\(t("assessment.comments"))</h4><p class=\"prewrap\">\(rating.comments)</p>"))
            \(HTML.when(!answers.isEmpty, "<details><summary>\(t("report.answers"))</summary><dl class=\"answers\">\(answers)</dl></details>"))
            \(HTML.when(row.isGap && !(library[k.id] ?? []).isEmpty, libraryLinks(library[k.id] ?? [], keyFactor: k.id, ctx)))
            \(HTML.when(row.isGap && (!k.tips.isEmpty || !k.practices.isEmpty), """
            <div class="advice"><h4>\(t("report.advice"))</h4>
            \(HTML.when(!k.tips.isEmpty, "<ul>\(k.tips.map { "<li>\(text($0, ctx))</li>" as HTML })</ul>"))
            \(HTML.when(!k.practices.isEmpty, "<p><strong>\(t("framework.practices"))</strong></p><ul>\(k.practices.map { practice($0, ctx) })</ul>"))
            </div>
            """))
            \(followUp)
            </section>
            """
        }
        let strengths = zip(f.keyFactors, r.figures.rows).filter { $0.1.isStrength }.map { "<li>\(text($0.0.title, ctx))</li>" as HTML }
        let gaps = zip(f.keyFactors, r.figures.rows).filter { $0.1.isGap }.map { "<li><a href=\"#kf-\($0.0.id)\">\(text($0.0.title, ctx))</a></li>" as HTML }
        let publication: HTML = canPublish && a.isSubmitted ? """
        <form method="post" action="\(SiteURL.assessmentPublish(a.id).path)" class="inline no-print">\(ctx.csrfField)<input type="hidden" name="publish" value="\(a.published ? "0" : "1")"><button type="submit">\(a.published ? t("report.unpublish") : t("report.publish"))</button></form>
        """ : .empty
        let context = f.contextFactors.compactMap { c -> HTML? in r.content.context[c.id].map { "<div><dt>\(text(c.label, ctx))</dt><dd class=\"prewrap\">\($0)</dd></div>" } }
        let main: HTML = """
        <p class="no-print">\(HTML.when(isMember, "<a href=\"\(SiteURL.benchmarks.path)\">← \(t("benchmarks.title"))</a> · <a href=\"\(SiteURL.assessmentHistory(a.id).path)\">\(t("assessment.history"))</a> · "))<a href="\(SiteURL.organisation(orgID).path)">\(r.organisation.name)</a></p>
        <h1>\(title)</h1>
        <p>\(a.isSubmitted ? t("report.submitted", a.submittedAt.map { AccountViews.date($0, t) } ?? "") : t("report.draft")) · \(a.published ? t("report.isPublic") : t("report.isPrivate")) · \(t("assessment.framework", String(f.version))) \(publication)</p>
        \(Form.printButton(t, hint: t("report.print")))
        <h2>\(t("report.overview"))</h2>
        <p>\(t("report.average", r.figures.average.map(fmt) ?? "–", String(f.scale.values.upperBound)))</p>
        <figure class="chart">\(HTML(raw: chart))<figcaption>\(t("report.chartCaption"))</figcaption></figure>
        <table class="list"><caption>\(t("report.tableCaption"))</caption>
        <thead><tr><th scope="col">\(t("report.keyFactor"))</th><th scope="col" class="num">\(String(a.year))</th>\(HTML.when(r.previous != nil, "<th scope=\"col\" class=\"num\">\(String(r.previous?.year ?? 0))</th>"))\(HTML.when(r.figures.peersShown, "<th scope=\"col\" class=\"num\">\(t("report.peers"))</th>"))<th scope="col">\(t("report.assessmentCol"))</th></tr></thead>
        <tbody>\(tableRows)</tbody></table>
        \(peerNote)
        \(r.previous == nil ? "<p>\(t("report.noPrevious"))</p>" as HTML : "<p>\(t("report.previous", String(r.previous!.year)))</p>" as HTML)
        <div class="two-col"><div><h3>\(t("report.strengths"))</h3>\(strengths.isEmpty ? "<p>–</p>" as HTML : "<ul>\(strengths)</ul>" as HTML)</div>
        <div><h3>\(t("report.gaps"))</h3>\(gaps.isEmpty ? "<p>–</p>" as HTML : "<ul>\(gaps)</ul>" as HTML)</div></div>
        <h2>\(t("report.perKeyFactor"))</h2>
        \(sections)
        \(HTML.when(!context.isEmpty, "<h2>\(t("framework.context"))</h2><dl class=\"answers\">\(context)</dl>"))
        <p class="credit">\(t("report.credit", f.sources.map(\.title).joined(separator: "; "), f.licence))</p>
        """
        return (title, main)
    }

    /// A stored change as a reader says it: "Leadership — level", "Leadership — evidence grade: policy", the question
    /// asked, the context factor's label; evidence grades in words. Unknown fields (of an older version) stay as stored.
    static func changeInWords(_ ch: FieldChange, framework f: Framework, _ ctx: PageContext) -> (String, String, String) {
        let t = ctx.t, lang = ctx.language.rawValue
        let parts = ch.field.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return (ch.field, ch.before, ch.after) }
        switch parts[0] {
        case "answers":
            let ids = parts[1].split(separator: "/", maxSplits: 1).map(String.init)
            guard ids.count == 2, let k = f.keyFactors.first(where: { $0.id == ids[0] }),
                  let q = k.questions.first(where: { $0.id == ids[1] }) else { break }
            return ("\(k.title(lang)) — \(q.text(lang))", ch.before, ch.after)
        case "context":
            guard let c = f.contextFactors.first(where: { $0.id == parts[1] }) else { break }
            return (c.label(lang), ch.before, ch.after)
        case "ratings":
            let rest = parts[1].split(separator: ".").map(String.init)
            guard let id = rest.first, let k = f.keyFactors.first(where: { $0.id == id }) else { break }
            let what = Array(rest.dropFirst())
            switch what.first {
            case "level": return ("\(k.title(lang)) — \(t("history.level"))", ch.before, ch.after)
            case "evidenceText": return ("\(k.title(lang)) — \(t("assessment.evidence"))", ch.before, ch.after)
            case "comments": return ("\(k.title(lang)) — \(t("assessment.comments"))", ch.before, ch.after)
            case "evidence":
                guard what.count == 2, let kind = EvidenceKind(rawValue: what[1]) else { break }
                func grade(_ raw: String) -> String { EvidenceGrade(rawValue: raw).map { t($0.labelKey) } ?? raw }
                return ("\(k.title(lang)) — \(t("history.evidenceGrade", t(kind.labelKey)))", grade(ch.before), grade(ch.after))
            default: break
            }
        default: break
        }
        return (ch.field, ch.before, ch.after)
    }

    static func history(_ ctx: PageContext, assessment a: Assessment, organisation org: Organisation, framework f: Framework,
                        changes: [AssessmentChange]) -> Response {
        let t = ctx.t, lang = ctx.language.rawValue
        let items = changes.map { c -> HTML in
            let list = (try? JSONDecoder().decode([FieldChange].self, from: Data(c.changes.utf8))) ?? []
            let rows = list.map { ch -> HTML in
                let (label, before, after) = Self.changeInWords(ch, framework: f, ctx)
                return "<tr><th scope=\"row\">\(label)</th><td class=\"prewrap\">\(before)</td><td class=\"prewrap\">\(after)</td></tr>"
            }
            return """
            <li><p><strong>\(t("history.\(c.action)"))</strong> — \(c.user?.name ?? t("history.someone")), \(AccountViews.date(c.at, t)) (\(t("history.revision", String(c.revision))))</p>
            \(HTML.when(!rows.isEmpty, "<table class=\"list\"><thead><tr><th scope=\"col\">\(t("history.field"))</th><th scope=\"col\">\(t("history.before"))</th><th scope=\"col\">\(t("history.after"))</th></tr></thead><tbody>\(rows)</tbody></table>"))</li>
            """
        }
        let title = t("history.title", f.title(lang), String(a.year), org.name)
        let main: HTML = """
        <p><a href="\(a.isSubmitted ? SiteURL.assessmentReport(a.id).path : SiteURL.assessment(a.id).path)">← \(f.title(lang)) \(String(a.year))</a></p>
        <h1>\(title)</h1>
        <ol class="history">\(items)</ol>
        """
        return Layout.page(ctx, title: title, main: main)
    }
}
