import Testing
@testable import LivingTogetherCore

@Suite struct AccountRulesTests {
    @Test func emails() {
        #expect(AccountRules.isValidEmail("officer@mechelen.be"))
        for bad in ["", "officer", "officer@", "@mechelen.be", "a@b", "a b@c.de", "a@.be", "a@b@c.de"] {
            #expect(!AccountRules.isValidEmail(bad), "\(bad)")
        }
        #expect(AccountRules.normalisedEmail("  Officer@Mechelen.BE ") == "officer@mechelen.be")
    }

    @Test func newPasswords() {
        var e = FieldErrors()
        AccountRules.checkNewPassword("short", confirmation: "short", into: &e)
        #expect(e["password"]?.key == "error.password.short")
        e = FieldErrors()
        AccountRules.checkNewPassword("long enough pass", confirmation: "other", into: &e)
        #expect(e["password"] == nil)
        #expect(e["password_confirmation"]?.key == "error.password.mismatch")
        e = FieldErrors()
        AccountRules.checkNewPassword(String(repeating: "x", count: 73), confirmation: nil, into: &e)
        #expect(e["password"]?.key == "error.password.long")
    }

    @Test func signInLimit() {
        let limit = SignInLimit(maxFailuresPerAccount: 5, maxFailuresPerAddress: 20)
        #expect(limit.decide(recentAccountFailures: 4, recentAddressFailures: 19) == .allowed)
        #expect(limit.decide(recentAccountFailures: 5, recentAddressFailures: 0) == .lockedAccount)
        #expect(limit.decide(recentAccountFailures: 0, recentAddressFailures: 20) == .lockedAddress)
    }
}

@Suite struct PermissionTests {
    let a = 1, b = 2
    var actors: [String: Actor] {
        [
            "anonymous": .anonymous,
            "none": Actor(userID: 10),
            "viewerA": Actor(userID: 11, roles: [a: .viewer]),
            "editorA": Actor(userID: 12, roles: [a: .editor]),
            "adminA": Actor(userID: 13, roles: [a: .admin]),
            "adminB": Actor(userID: 14, roles: [b: .admin]),
            "platform": Actor(userID: 15, isPlatformAdmin: true),
        ]
    }

    @Test func everyRoleAgainstOrganisationA() {
        let expected: [String: (members: Bool, edit: Bool, manage: Bool, platform: Bool)] = [
            "anonymous": (false, false, false, false),
            "none": (false, false, false, false),
            "viewerA": (true, false, false, false),
            "editorA": (true, true, false, false),
            "adminA": (true, true, true, false),
            "adminB": (false, false, false, false),
            "platform": (true, true, true, true),
        ]
        for (name, actor) in actors {
            let e = expected[name]!
            #expect(DirectoryPermissions.allows(actor, .viewPublicProfile), "\(name)")
            #expect(DirectoryPermissions.allows(actor, .viewMembers(organisation: a)) == e.members, "\(name) members")
            #expect(DirectoryPermissions.allows(actor, .editProfile(organisation: a)) == e.edit, "\(name) edit")
            #expect(DirectoryPermissions.allows(actor, .manageMembers(organisation: a)) == e.manage, "\(name) manage")
            #expect(DirectoryPermissions.allows(actor, .administerPlatform) == e.platform, "\(name) platform")
        }
    }

    @Test func rolesAreOrdered() {
        #expect(Role.viewer < Role.editor)
        #expect(Role.editor < Role.admin)
    }
}
