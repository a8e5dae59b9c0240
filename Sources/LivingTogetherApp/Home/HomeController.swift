import LivingTogetherCore
import Vapor

/// The home page, which says what the platform is for, and the privacy notice.
struct HomeController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(.home, use: home)
        routes.get(.privacy, use: privacy)
    }

    @Sendable func home(req: Request) async throws -> Response {
        let ctx = req.page()
        let t = ctx.t
        let index = try await req.application.directoryIndex.index(on: req.db, logger: req.logger)
        let available: [(String, SiteURL)] = [("directory", .directory), ("benchmarks", .benchmarks), ("plans", .plans),
                                              ("mentoring", .mentoring), ("knowledge", .knowledge)]
        let modules = available.map { key, url -> HTML in
            "<li><a href=\"\(url.path)\"><strong>\(t("home.module.\(key).title"))</strong></a> — \(t("home.module.\(key).text"))</li>"
        }
        let coming = ["participation", "insights"].map { key -> HTML in
            "<li><strong>\(t("home.module.\(key).title"))</strong> — \(t("home.module.\(key).text"))</li>"
        }
        let main: HTML = """
        <h1>\(t("home.title"))</h1>
        <p class="lead">\(t("home.lead"))</p>
        <form method="get" action="\(SiteURL.directory.path)" role="search" class="filters">
        <div class="field"><label for="f-q">\(t("home.find"))</label><input id="f-q" name="q" type="search"></div>
        <div class="actions"><button type="submit">\(t("directory.searchButton"))</button></div>
        </form>
        <p>\(t("home.count", t.number(index.count)))</p>
        <h2>\(t("home.what"))</h2>
        <ul class="modules">\(modules)</ul>
        <h3>\(t("home.coming"))</h3>
        <ul class="modules">\(coming)</ul>
        <h2>\(t("home.who"))</h2>
        <p>\(t("home.whoText"))</p>
        \(HTML.when(ctx.user == nil, "<p><a class=\"button\" href=\"\(SiteURL.signIn.path)\">\(t("nav.signIn"))</a></p>"))
        """
        return Layout.page(ctx, title: t("home.title"), main: main)
    }

    @Sendable func privacy(req: Request) async throws -> Response {
        let ctx = req.page()
        let t = ctx.t
        let items = ["account", "sessions", "signin", "mail", "tokens", "participation"].map { HTML("<li>\(t("privacy." + $0))</li>") }
        let main: HTML = """
        <h1>\(t("privacy.title"))</h1>
        <p>\(t("privacy.intro"))</p>
        <ul>\(items)</ul>
        <p>\(t("privacy.rights"))</p>
        """
        return Layout.page(ctx, title: t("privacy.title"), main: main)
    }
}
