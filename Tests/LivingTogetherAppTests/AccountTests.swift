import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// Signing in and out, password resets, invitations, and the last administrator.
    @Suite struct Accounts {
        // MARK: signing in and out

        @Test func signInSucceeds() async throws {
            try await withTestApp { app in
                let b = Browser(app)
                // The address is read without regard to case or surrounding spaces.
                let r = try await b.signIn(email: "  Admin.A@Example.ORG ")
                #expect(r.status == .seeOther)
                #expect(r.location == "/directory/\(app.world.orgA)", "lands on the profile of the person's municipality")
                let cookie = try #require(SetCookie.named("lt_session", in: r.headers))
                #expect(!cookie.value.isEmpty)
                let account = try await b.get("/account")
                #expect(account.status == .ok)
                #expect(account.text.contains("Signed in as Ada Admin-A (admin.a@example.org)."))
                #expect(account.text.contains("You are signed in."))
                #expect(HTMLText.plainText(account.text).contains("Mechelen — Administrator"))
                // The flash is shown once.
                #expect(!(try await b.get("/account")).text.contains("You are signed in."))

                // return_to brings the person back where they were going.
                let c = Browser(app)
                let members = try await c.get("/directory/\(app.world.orgA)/members")
                #expect(members.status == .seeOther)
                let signInPage = try #require(members.location)
                #expect(signInPage == "/sign-in?return_to=/directory/\(app.world.orgA)/members")
                let page = try await c.get(signInPage)
                let form = try #require(HTMLText.form(action: "/sign-in", in: page.text))
                let returnTo = try #require(HTMLText.hiddenValue(named: "return_to", in: form))
                let r2 = try await c.signIn(email: app.world.email(.viewerA), returnTo: HTMLText.unescape(returnTo))
                #expect(r2.location == "/directory/\(app.world.orgA)/members")
                #expect(try await c.get("/directory/\(app.world.orgA)/members").status == .ok)
            }
        }

        @Test func signInFailureShowsTheErrorBesideTheFieldAndKeepsTheEmail() async throws {
            try await withTestApp { app in
                let b = Browser(app)
                let wrong = "not-the-password-42"
                let r = try await b.signIn(email: "admin.a@example.org", password: wrong)
                #expect(r.status == .unauthorized)
                #expect(HTMLText.fieldError("email", in: r.text) == "The e-mail address or the password is not right.")
                #expect(HTMLText.fieldValue("email", in: r.text) == "admin.a@example.org")
                #expect(!r.text.contains(wrong))
                #expect(r.text.contains(#"aria-invalid="true""#))
                #expect(r.text.contains(##"<a href="#f-email">"##))
                #expect(SetCookie.named("lt_session", in: r.headers) == nil)
                #expect(b.sessionCookie == nil)

                // An unknown account gets the very same answer.
                let unknown = try await b.signIn(email: "someone@example.org", password: wrong)
                #expect(unknown.status == .unauthorized)
                #expect(HTMLText.fieldError("email", in: unknown.text) == "The e-mail address or the password is not right.")

                // Missing and malformed input: the error beside its own field.
                let noPassword = try await b.signIn(email: "admin.a@example.org", password: "")
                #expect(noPassword.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("password", in: noPassword.text) == "Enter your password.")
                #expect(HTMLText.fieldError("email", in: noPassword.text) == nil)
                #expect(HTMLText.fieldValue("email", in: noPassword.text) == "admin.a@example.org")
                let badEmail = try await b.signIn(email: "admin.a", password: wrong)
                #expect(badEmail.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("email", in: badEmail.text) == "Enter an e-mail address like name@example.org.")
                #expect(HTMLText.fieldValue("email", in: badEmail.text) == "admin.a")
                #expect(!badEmail.text.contains(wrong))

                #expect(try await b.get("/account").location?.hasPrefix("/sign-in") == true)
            }
        }

        @Test func returnToNeverLeavesTheSite() async throws {
            try await withTestApp { app in
                for target in ["https://evil.example/", "//evil.example/", "/\\evil.example/", "/\t/evil.example/", "evil.example"] {
                    let b = Browser(app)
                    let r = try await b.signIn(email: app.world.email(.viewerA), returnTo: target)
                    #expect(r.status == .seeOther)
                    let location = try #require(r.location)
                    // What a browser would make of the Location header (it drops tabs and newlines).
                    let resolved = location.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }.replacingOccurrences(of: "\\", with: "/")
                    #expect(resolved.hasPrefix("/") && !resolved.hasPrefix("//"), "return_to \(target.debugDescription) sent the browser to \(location.debugDescription)")
                    // The language switch goes back the same way.
                    let l = try await b.post("/language", [("language", "nl"), ("return_to", target)])
                    let back = (l.location ?? "").filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }.replacingOccurrences(of: "\\", with: "/")
                    #expect(back.hasPrefix("/") && !back.hasPrefix("//"), "language return_to \(target.debugDescription) sent the browser to \(l.location.debugDescription)")
                }
            }
        }

        @Test func accountPageListsMembershipsAsLinks() async throws {
            try await withTestApp { app in
                let w = app.world
                let admin = try await Browser.signedIn(app, as: .adminA)
                let page = try await admin.get("/account")
                #expect(page.text.contains(#"<li><a href="/directory/\#(w.orgA)">Mechelen</a> — Administrator (<a href="/directory/\#(w.orgA)/members">manage members</a>)</li>"#),
                        "the memberships are a list of links, not markup shown as text")
                #expect(!page.text.contains("&lt;li&gt;"))
                let nobody = try await Browser.signedIn(app, as: .nobody)
                let empty = try await nobody.get("/account")
                #expect(empty.text.contains("<p>You are not a member of any organisation yet.</p>"))
                #expect(!empty.text.contains("&lt;p&gt;"))
            }
        }

        @Test func outboxShowsTheMailToPlatformAdmins() async throws {
            try await withTestApp { app in
                let b = Browser(app)
                _ = try await b.get("/password/forgot")
                #expect(try await b.post("/password/forgot", [("email", app.world.email(.viewerA))]).status == .seeOther)
                let admin = try await Browser.signedIn(app, as: .platformAdmin)
                let page = try await admin.get("/admin/outbox")
                #expect(page.status == .ok)
                #expect(page.text.contains(#"<article class="mail"><h2>Reset your Living Together password</h2><p>To viewer.a@example.org"#),
                        "each message is shown as an article, not as markup text")
                #expect(!page.text.contains("&lt;article"))
                #expect(page.text.contains("/password/reset/"))
            }
        }

        @Test func signOutEndsTheSession() async throws {
            try await withTestApp { app in
                let b = try await Browser.signedIn(app, as: .editorA)
                let oldSession = try #require(b.sessionCookie)
                #expect(try await b.get("/account").status == .ok)
                #expect(try await SessionRow.find(Tokens.hash(oldSession), on: app.db) != nil)

                let r = try await b.post("/sign-out")
                #expect(r.status == .seeOther)
                #expect(r.location == "/")
                #expect(SetCookie.named("lt_session", in: r.headers)?.isExpired == true)
                #expect(b.sessionCookie == nil)
                let home = try await b.get("/")
                #expect(home.text.contains("You are signed out."))
                #expect(home.text.contains(">Sign in</a>"))
                #expect(try await b.get("/account").location == "/sign-in?return_to=/account")

                // The old cookie, kept by someone, no longer works anywhere.
                #expect(try await SessionRow.find(Tokens.hash(oldSession), on: app.db) == nil)
                let thief = Browser(app)
                thief.setCookie("lt_session", oldSession)
                let account = try await thief.get("/account")
                #expect(account.status == .seeOther)
                #expect(account.location?.hasPrefix("/sign-in") == true)
                let home2 = try await thief.get("/")
                #expect(home2.text.contains(">Sign in</a>"))
                #expect(thief.sessionCookie == nil, "the server tells the browser to drop the dead cookie")
                thief.setCookie("lt_session", oldSession)
                let members = try await thief.get("/directory/\(app.world.orgA)/members")
                #expect(members.location?.hasPrefix("/sign-in") == true)
            }
        }

        /// A cookie whose session is gone (signed out elsewhere, expired) is dropped by the answer, on every
        /// kind of page: also on a members-only page, which answers with the sign-in redirect.
        @Test func aDeadSessionCookieIsDropped() async throws {
            try await withTestApp { app in
                let b = try await Browser.signedIn(app, as: .viewerA)
                let key = try #require(b.sessionCookie)
                // The session expires.
                try await SessionRow.query(on: app.db).filter(\.$id == Tokens.hash(key)).set(\.$expiresAt, to: Date().addingTimeInterval(-1)).update()
                let r = try await b.get("/account")
                #expect(r.location == "/sign-in?return_to=/account")
                #expect(try await SessionRow.find(Tokens.hash(key), on: app.db) == nil, "the expired session row is deleted")
                #expect(SetCookie.named("lt_session", in: r.headers)?.isExpired == true, "the redirect tells the browser to drop the dead cookie")
            }
        }

        // MARK: password reset

        /// The one-time link in the last message to `email`, as a path.
        static func link(to email: String, _ pattern: String, in app: Application) async throws -> String {
            let messages = try await app.outbox().filter { $0.recipient == email }
            let body = try #require(messages.last?.body)
            return try #require(HTMLText.first("https?://[^/\\s]+(" + pattern + "[A-Za-z0-9_-]+)", in: body))
        }

        @Test func passwordReset() async throws {
            try await withTestApp { app in
                let email = app.world.email(.editorA)
                let elsewhere = try await Browser.signedIn(app, as: .editorA)
                #expect(try await elsewhere.get("/account").status == .ok)

                let b = Browser(app)
                _ = try await b.get("/password/forgot")
                let r = try await b.post("/password/forgot", [("email", "Editor.A@example.org")])
                #expect(r.status == .seeOther)
                #expect(r.location == "/sign-in")
                #expect(try await b.get("/sign-in").text.contains("If an account has that address, a link to reset its password is on its way."))
                let messages = try await app.outbox()
                #expect(messages.count == 1)
                let mail = try #require(messages.first)
                #expect(mail.recipient == email)
                #expect(mail.subject == "Reset your Living Together password")
                #expect(mail.body.contains("Hello Eddie Editor-A"))
                let link = try await Self.link(to: email, "/password/reset/", in: app)

                // An unknown address gets the same answer and no mail.
                let unknown = try await b.post("/password/forgot", [("email", "stranger@example.org")])
                #expect(unknown.status == .seeOther && unknown.location == "/sign-in")
                #expect(try await app.outbox().count == 1)
                // A malformed one is told so beside the field.
                let bad = try await b.post("/password/forgot", [("email", "stranger")])
                #expect(bad.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("email", in: bad.text) == "Enter an e-mail address like name@example.org.")

                let form = try await b.get(link)
                #expect(form.status == .ok)
                #expect(HTMLText.heading(in: form.text) == "Choose a new password")
                let short = try await b.post(link, [("password", "short"), ("password_confirmation", "short")])
                #expect(short.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("password", in: short.text) == "The password needs at least 10 characters.")
                let mismatch = try await b.post(link, [("password", "a new password 1"), ("password_confirmation", "a new password 2")])
                #expect(HTMLText.fieldError("password_confirmation", in: mismatch.text) == "The two passwords are not the same.")

                let newPassword = "a brand new password"
                let done = try await b.post(link, [("password", newPassword), ("password_confirmation", newPassword)])
                #expect(done.status == .seeOther)
                #expect(done.location == "/sign-in")
                #expect(try await b.get("/sign-in").text.contains("Your password has been changed."))

                // The link works once.
                let again = try await b.get(link)
                #expect(again.status == .gone)
                #expect(HTMLText.heading(in: again.text) == "This link no longer works")
                let reuse = try await b.post(link, [("password", "yet another password"), ("password_confirmation", "yet another password")])
                #expect(reuse.status == .gone)

                // Every session of the account has ended.
                #expect(try await elsewhere.get("/account").location?.hasPrefix("/sign-in") == true)
                #expect(try await SessionRow.query(on: app.db).filter(\.$user.$id == app.world.person(.editorA).id).count() == 0)

                // The old password no longer works, the new one does.
                #expect(try await Browser(app).signIn(email: email).status == .unauthorized)
                #expect(try await Browser(app).signIn(email: email, password: newPassword).status == .seeOther)
            }
        }

        @Test func expiredResetLinkIsRefused() async throws {
            try await withTestApp { app in
                let user = app.world.person(.viewerA)
                let token = try await app.makePasswordReset(user: user.id, expiresIn: -60)
                let b = Browser(app)
                let page = try await b.get("/password/reset/\(token)")
                #expect(page.status == .gone)
                #expect(page.text.contains("The link has expired, has been used already, or is incomplete."))
                _ = try await b.get("/sign-in")
                let post = try await b.post("/password/reset/\(token)", [("password", "a brand new password"), ("password_confirmation", "a brand new password")])
                #expect(post.status == .gone)
                #expect(try await Browser(app).signIn(email: user.email).status == .seeOther, "the password is unchanged")
                // A made-up token is no better.
                #expect(try await b.get("/password/reset/made-up-token").status == .gone)
            }
        }

        // MARK: invitations

        @Test func invitationByOrganisationAdmin() async throws {
            try await withTestApp { app in
                let w = app.world
                let admin = try await Browser.signedIn(app, as: .adminA)
                let members = try await admin.get("/directory/\(w.orgA)/members")
                #expect(members.status == .ok)
                #expect(members.text.contains("Invite a colleague"))

                let r = try await admin.post("/directory/\(w.orgA)/invitations", [("email", " New.Person@Example.org"), ("role", "editor")])
                #expect(r.status == .seeOther)
                #expect(r.location == "/directory/\(w.orgA)/members")
                let after = try await admin.get("/directory/\(w.orgA)/members")
                #expect(after.text.contains("The invitation has been sent."))
                #expect(after.text.contains("Invitations not yet accepted"))
                #expect(after.text.contains("<td>new.person@example.org</td><td>Editor</td>"))

                let invitation = try #require(try await Invitation.query(on: app.db).first())
                #expect(invitation.email == "new.person@example.org")
                #expect(invitation.role == "editor")
                #expect(invitation.$organisation.id == w.orgA)
                #expect(invitation.$invitedBy.id == w.person(.adminA).id)
                let mail = try #require(try await app.outbox().last)
                #expect(mail.recipient == "new.person@example.org")
                #expect(mail.subject == "Invitation to join Mechelen on Living Together")
                #expect(mail.body.contains("Ada Admin-A invites you to join Mechelen on Living Together as Editor."))
                let link = try await Self.link(to: "new.person@example.org", "/join/", in: app)

                // The invitee follows the link and creates an account.
                let invitee = Browser(app)
                let page = try await invitee.get(link)
                #expect(page.status == .ok)
                #expect(HTMLText.heading(in: page.text) == "Join Mechelen")
                #expect(page.text.contains("You are invited as Editor."))
                #expect(page.text.contains("Create your account for new.person@example.org."))

                let incomplete = try await invitee.post(link, [("name", "Nora New"), ("password", "short"), ("password_confirmation", "short")])
                #expect(incomplete.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("password", in: incomplete.text) == "The password needs at least 10 characters.")
                #expect(HTMLText.fieldValue("name", in: incomplete.text) == "Nora New")
                let noName = try await invitee.post(link, [("name", " "), ("password", "a good long password"), ("password_confirmation", "a good long password")])
                #expect(HTMLText.fieldError("name", in: noName.text) == "Enter a name.")
                #expect(try await User.query(on: app.db).filter(\.$email == "new.person@example.org").count() == 0)

                let joined = try await invitee.post(link, [("name", "Nora New"), ("password", "a good long password"), ("password_confirmation", "a good long password")])
                #expect(joined.status == .seeOther)
                #expect(joined.location == "/directory/\(w.orgA)")
                #expect(invitee.sessionCookie != nil)
                let user = try #require(try await User.query(on: app.db).filter(\.$email == "new.person@example.org").first())
                #expect(user.name == "Nora New")
                let membership = try #require(try await Membership.query(on: app.db).filter(\.$user.$id == user.id!).first())
                #expect(membership.$organisation.id == w.orgA)
                #expect(membership.role == "editor")
                let profile = try await invitee.get("/directory/\(w.orgA)")
                #expect(profile.text.contains("Welcome! You are now a member."))
                #expect(profile.text.contains("Edit the profile"))
                #expect(HTMLText.plainText(try await invitee.get("/account").text).contains("Mechelen — Editor"))
                #expect(try await Browser(app).signIn(email: "new.person@example.org", password: "a good long password").status == .seeOther)

                // The link works once.
                let stranger = Browser(app)
                let reused = try await stranger.get(link)
                #expect(reused.status == .gone)
                #expect(reused.text.contains("The invitation has expired, has been used already, or was withdrawn."))
                let reusePost = try await stranger.post(link, [("name", "Mallory"), ("password", "a good long password"), ("password_confirmation", "a good long password")])
                #expect(reusePost.status == .gone)
                #expect(try await Membership.query(on: app.db).filter(\.$organisation.$id == w.orgA).count() == 4)
                #expect(try await User.query(on: app.db).filter(\.$name == "Mallory").count() == 0)
                // It is no longer pending.
                #expect(!(try await admin.get("/directory/\(w.orgA)/members")).text.contains("Invitations not yet accepted"))
            }
        }

        @Test func invitationMistakesAreShownBesideTheirFields() async throws {
            try await withTestApp { app in
                let w = app.world
                let admin = try await Browser.signedIn(app, as: .adminA)
                let bad = try await admin.post("/directory/\(w.orgA)/invitations", [("email", "not-an-address"), ("role", "owner")])
                #expect(bad.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("email", in: bad.text) == "Enter an e-mail address like name@example.org.")
                #expect(HTMLText.fieldError("role", in: bad.text) == "Choose a role: administrator, editor or viewer.")
                #expect(HTMLText.fieldValue("email", in: bad.text) == "not-an-address")
                let member = try await admin.post("/directory/\(w.orgA)/invitations", [("email", w.email(.viewerA)), ("role", "admin")])
                #expect(member.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("email", in: member.text) == "This person is already a member.")
                #expect(try await Invitation.query(on: app.db).count() == 0)
                #expect(try await app.outbox().isEmpty)
            }
        }

        @Test func viewersAndEditorsCannotInvite() async throws {
            try await withTestApp { app in
                let w = app.world
                for persona in [Persona.viewerA, .editorA] {
                    let b = try await Browser.signedIn(app, as: persona)
                    let r = try await b.post("/directory/\(w.orgA)/invitations", [("email", "friend@example.org"), ("role", "admin")])
                    #expect(r.status == .forbidden, "\(persona)")
                    #expect(HTMLText.heading(in: r.text) == "Not allowed")
                    // The members page shows them no invitation form either.
                    let page = try await b.get("/directory/\(w.orgA)/members")
                    #expect(page.status == .ok)
                    #expect(!page.text.contains("Invite a colleague"))
                }
                #expect(try await Invitation.query(on: app.db).count() == 0)
                #expect(try await app.outbox().isEmpty)
            }
        }

        @Test func expiredAndRevokedInvitationsAreRefused() async throws {
            try await withTestApp { app in
                let w = app.world
                let expired = try await app.makeInvitation(organisation: w.orgA, email: "late@example.org", role: .admin, expiresIn: -60)
                let b = Browser(app)
                let page = try await b.get("/join/\(expired.token)")
                #expect(page.status == .gone)
                #expect(page.text.contains("The invitation has expired, has been used already, or was withdrawn."))
                let post = try await b.post("/join/\(expired.token)", [("name", "Late"), ("password", "a good long password"), ("password_confirmation", "a good long password")])
                #expect(post.status == .gone)
                #expect(try await User.query(on: app.db).filter(\.$email == "late@example.org").count() == 0)

                // Revoked by the organisation's admin on the members page.
                let admin = try await Browser.signedIn(app, as: .adminA)
                _ = try await admin.post("/directory/\(w.orgA)/invitations", [("email", "maybe@example.org"), ("role", "viewer")])
                let link = try await Self.link(to: "maybe@example.org", "/join/", in: app)
                #expect(try await b.get(link).status == .ok)
                let inv = try #require(try await Invitation.query(on: app.db).filter(\.$email == "maybe@example.org").first())
                let members = try await admin.get("/directory/\(w.orgA)/members")
                #expect(members.text.contains("/directory/\(w.orgA)/invitations/\(inv.id!)/revoke"))
                let revoke = try await admin.post("/directory/\(w.orgA)/invitations/\(inv.id!)/revoke")
                #expect(revoke.status == .seeOther)
                #expect(try await admin.get("/directory/\(w.orgA)/members").text.contains("The invitation has been withdrawn."))
                #expect(try await b.get(link).status == .gone)
                let join = try await b.post(link, [("name", "Maybe"), ("password", "a good long password"), ("password_confirmation", "a good long password")])
                #expect(join.status == .gone)
                #expect(try await User.query(on: app.db).filter(\.$email == "maybe@example.org").count() == 0)
                #expect(try await b.get("/join/no-such-token").status == .gone)
            }
        }

        @Test func anExistingAccountJoinsWithItsPassword() async throws {
            try await withTestApp { app in
                let w = app.world
                let inv = try await app.makeInvitation(organisation: w.orgA, email: w.email(.nobody), role: .viewer)
                let b = Browser(app)
                let page = try await b.get("/join/\(inv.token)")
                #expect(page.text.contains("nobody@example.org already has an account: confirm with its password."))
                let wrong = try await b.post("/join/\(inv.token)", [("password", "not the password")])
                #expect(wrong.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("password", in: wrong.text) == "The e-mail address or the password is not right.")
                #expect(try await Membership.query(on: app.db).filter(\.$user.$id == w.person(.nobody).id).count() == 0)
                let ok = try await b.post("/join/\(inv.token)", [("password", FixtureWorld.password)])
                #expect(ok.status == .seeOther)
                let m = try #require(try await Membership.query(on: app.db).filter(\.$user.$id == w.person(.nobody).id).first())
                #expect(m.$organisation.id == w.orgA && m.role == "viewer")
                #expect(try await b.get("/account").text.contains("Signed in as Nico Nobody"))
            }
        }

        // MARK: roles

        @Test func adminChangesRolesAndRemovesMembers() async throws {
            try await withTestApp { app in
                let w = app.world
                let admin = try await Browser.signedIn(app, as: .adminA)
                let viewerMembership = try #require(w.person(.viewerA).membershipID)
                let r = try await admin.post("/directory/\(w.orgA)/members/\(viewerMembership)/role", [("role", "editor")])
                #expect(r.status == .seeOther)
                #expect(try await app.membership(viewerMembership)?.role == "editor")
                #expect(try await admin.get("/directory/\(w.orgA)/members").text.contains("The role has been changed."))
                let unknownRole = try await admin.post("/directory/\(w.orgA)/members/\(viewerMembership)/role", [("role", "owner")])
                #expect(unknownRole.status == .unprocessableEntity)
                #expect(try await app.membership(viewerMembership)?.role == "editor")

                let removed = try await admin.post("/directory/\(w.orgA)/members/\(viewerMembership)/remove")
                #expect(removed.status == .seeOther)
                #expect(try await app.membership(viewerMembership) == nil)
                #expect(try await admin.get("/directory/\(w.orgA)/members").text.contains("The member has been removed."))
                // The removed person has lost access at once.
                let former = try await Browser.signedIn(app, as: .viewerA)
                #expect(try await former.get("/directory/\(w.orgA)/members").status == .forbidden)
            }
        }

        @Test func theLastAdminCannotBeRemovedOrDemoted() async throws {
            try await withTestApp { app in
                let w = app.world
                let adminMembership = try #require(w.person(.adminA).membershipID)
                for persona in [Persona.adminA, .platformAdmin] {
                    let b = try await Browser.signedIn(app, as: persona)
                    for role in ["editor", "viewer"] {
                        let r = try await b.post("/directory/\(w.orgA)/members/\(adminMembership)/role", [("role", role)])
                        #expect(r.status == .conflict, "\(persona) demoting to \(role)")
                        #expect(r.text.contains("The organisation needs at least one administrator: make someone else administrator first."))
                    }
                    let r = try await b.post("/directory/\(w.orgA)/members/\(adminMembership)/remove")
                    #expect(r.status == .conflict, "\(persona) removing")
                    #expect(r.text.contains("The organisation needs at least one administrator"))
                }
                // Through the API too.
                let token = try await app.makeAPIToken(user: w.person(.adminA).id).secret
                let api = APIClient(app: app, token: token)
                let patch = try await api.send(.PATCH, "/api/v1/organisations/\(w.orgA)/memberships/\(adminMembership)", json: ["role": "viewer"])
                #expect(patch.status == .conflict)
                #expect((patch.json?["error"] as? [String: Any])?["message"] as? String
                        == "The organisation needs at least one administrator: make someone else administrator first.")
                #expect(try await api.send(.DELETE, "/api/v1/organisations/\(w.orgA)/memberships/\(adminMembership)").status == .conflict)
                #expect(try await app.membership(adminMembership)?.role == "admin")

                // With a second administrator, the first may step down.
                let admin = try await Browser.signedIn(app, as: .adminA)
                let editorMembership = try #require(w.person(.editorA).membershipID)
                #expect(try await admin.post("/directory/\(w.orgA)/members/\(editorMembership)/role", [("role", "admin")]).status == .seeOther)
                #expect(try await admin.post("/directory/\(w.orgA)/members/\(adminMembership)/role", [("role", "viewer")]).status == .seeOther)
                #expect(try await app.membership(adminMembership)?.role == "viewer")
                // …and now the other one is the last.
                let editor = try await Browser.signedIn(app, as: .editorA)
                #expect(try await editor.post("/directory/\(w.orgA)/members/\(editorMembership)/remove").status == .conflict)
            }
        }
    }
}

extension AppTests.Accounts {
    /// Once a password is reset, every other unused reset link of the account stops working.
    @Test func aResetEndsTheOtherResetLinks() async throws {
        try await withTestApp { app in
            let user = app.world.person(.viewerA).id
            let first = try await app.makePasswordReset(user: user)
            let second = try await app.makePasswordReset(user: user)
            let b = Browser(app)
            _ = try await b.get("/password/reset/\(first)")
            let done = try await b.post("/password/reset/\(first)", [("password", "a brand new password"), ("password_confirmation", "a brand new password")])
            #expect(done.status == .seeOther)
            #expect(try await b.get("/password/reset/\(second)").status == .gone)
        }
    }
}
