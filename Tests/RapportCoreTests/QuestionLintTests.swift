import Foundation
import Testing
@testable import RapportCore

/// One phrasing and the rules it must (and only it must) trip.
struct LintCase: CustomTestStringConvertible, Sendable {
    let text: String
    let rules: Set<LintRule>
    var testDescription: String { "\"\(text)\" → \(rules.map(\.rawValue).sorted())" }

    init(_ text: String, _ rules: LintRule...) {
        self.text = text
        self.rules = Set(rules)
    }
}

@Suite("Question lint")
struct QuestionLintTests {
    static let lint = QuestionLint(jargon: ["synergy", "SKU", "workflow orchestration"])

    static let table: [LintCase] = [
        // closed: flagged
        LintCase("Do you export reports every week?", .closed),
        LintCase("Does your team use the dashboard?", .closed),
        LintCase("Did you try the new export?", .closed),
        LintCase("Is exporting slow?", .closed),
        LintCase("Are you happy with the export?", .closed),
        LintCase("Was the onboarding smooth?", .closed),
        LintCase("Were there problems during setup?", .closed),
        LintCase("Can you export to CSV?", .closed),
        LintCase("Could the report load faster?", .closed),
        LintCase("Should we add a dark mode?", .closed),
        LintCase("Have you tried the mobile app?", .closed),
        LintCase("Has your team used the API?", .closed),
        LintCase("Any problems with exports?", .closed),
        LintCase("So do you use it daily?", .closed),
        LintCase("And is that a problem?", .closed),
        LintCase("But did it work?", .closed),
        LintCase("Do you use Excel or Sheets?", .closed),
        LintCase("do you like the new dashboard", .closed),
        LintCase("Doesn’t the report help?", .closed),
        // closed: not flagged (open questions)
        LintCase("How do you decide which report to run first?"),
        LintCase("What sold you on {{product}}?"),
        LintCase("How do you typically use {{product}} on a daily or weekly basis?"),
        LintCase("Which features do you use the most? Why?"),
        LintCase("What is the hardest part about being a {{role}}?"),
        LintCase("Why did you start using {{product}}?"),
        LintCase("Where did you work before?"),
        LintCase("When did you last export a report?"),
        LintCase("Tell me about the last time you exported a report."),
        LintCase("Walk me through your Monday morning."),
        LintCase("Could you walk me through how you set up a report?"),
        LintCase("Can you tell me about your team?"),
        LintCase("Who else is involved when you buy software?"),
        LintCase("What does a good week look like for you?"),
        LintCase("What happens between the export and when you send it?"),
        // leading: flagged
        LintCase("Don't you think the new export is faster?", .closed, .leading),
        LintCase("Wouldn't you agree that exports are too slow?", .closed, .leading),
        LintCase("The dashboard is clear, isn't it?", .leading),
        LintCase("How much do you love the new dashboard?", .leading),
        LintCase("How great is the new export?", .leading),
        LintCase("What do you find hardest, wouldn't you say it's the exports?", .leading),
        LintCase("You export every Monday, right?", .leading),
        LintCase("How much easier is the new editor?", .leading),
        // leading: not flagged
        LintCase("What do you think of the new export?"),
        LintCase("How would you describe the new dashboard?"),
        LintCase("Why isn't it working for you?"),
        LintCase("How much time does the export take?"),
        LintCase("How do you feel about the new editor?"),
        // double: flagged
        LintCase("How do you export reports, and who do you call when it fails?", .double),
        LintCase("What do you like? What would you change?", .double),
        LintCase("How long have you been at the company and where did you work before?", .double),
        LintCase("What tools do you use or how do you track it today?", .double),
        LintCase("Why did you choose us, and what did you use before that?", .double),
        LintCase("Do you export reports? How often?", .closed, .double),
        // double: not flagged
        LintCase("How do you decide between the daily and the weekly report?"),
        LintCase("Which features do you use the most and why?"),
        LintCase("What do you do when the export fails and you need the numbers?"),
        LintCase("How do you and your team plan the week?"),
        // hypothetical-future: flagged
        LintCase("Would you use a dark mode?", .closed, .hypotheticalFuture),
        LintCase("How much would you pay for a team plan?", .hypotheticalFuture),
        LintCase("Will you renew next year?", .closed, .hypotheticalFuture),
        LintCase("If we built a Slack integration, what would you do with it?", .hypotheticalFuture),
        LintCase("How likely are you to recommend us to a friend?", .hypotheticalFuture),
        LintCase("What would make you switch, and would you switch this year?", .double, .hypotheticalFuture),
        // hypothetical-future: not flagged
        LintCase("What did you pay for your last reporting tool?"),
        LintCase("When did you last recommend a tool to a colleague?"),
        LintCase("How do you handle reporting today?"),
        LintCase("What would you change about the export?"),
        // jargon: flagged
        LintCase("How does synergy between teams show up in your week?", .jargon),
        LintCase("Which SKUs do you report on?", .jargon),
        LintCase("How do you approach workflow orchestration?", .jargon),
        LintCase("What does SYNERGY mean to your team?", .jargon),
        // jargon: not flagged
        LintCase("How do your teams work together?"),
        LintCase("Which products do you report on?"),
        LintCase("How do you orchestrate your week?"),
    ]

    @Test("each phrasing trips exactly its rules", arguments: table)
    func phrasing(_ row: LintCase) {
        let flags = Self.lint.check(row.text)
        #expect(Set(flags.map(\.rule)) == row.rules, "\(flags.map { "\($0.rule.rawValue): \($0.trigger)" })")
        for flag in flags {
            #expect(!flag.trigger.isEmpty)
            #expect(!flag.suggestion.isEmpty && flag.suggestion != row.text)
        }
    }

    @Test("the table covers both sides of every rule, over 60 phrasings")
    func coverage() {
        #expect(Self.table.count >= 60)
        for rule in LintRule.allCases {
            #expect(Self.table.contains { $0.rules.contains(rule) }, "no phrasing trips \(rule)")
            #expect(Self.table.contains { !$0.rules.contains(rule) }, "no phrasing passes \(rule)")
        }
    }

    @Test("a closed question's flag names its words and offers an open question")
    func closedRephrasing() throws {
        func suggestion(_ text: String) throws -> String {
            try #require(Self.lint.check(text).first { $0.rule == .closed }).suggestion
        }
        #expect(try suggestion("Do you export reports every week?") == "How do you export reports every week?")
        #expect(try suggestion("Do you like the new dashboard?") == "What do you like about the new dashboard?")
        #expect(try suggestion("Can you export to CSV?") == "How do you export to CSV today?")
        #expect(try suggestion("Have you ever tried the mobile app?") == "Tell me about the last time you tried the mobile app.")
        #expect(try suggestion("Any problems with exports?") == "Tell me about any problems with exports.")
        #expect(try suggestion("Is there anything you would change?") == "Tell me about anything you would change.")
        #expect(try suggestion("Is it easy to export?") == "How easy is it to export?")
        #expect(try suggestion("Should we add a dark mode?") == "What problem would it solve if we add a dark mode?")
        #expect(try suggestion("Are you happy with the export?") == "How do you feel about the export?")
        #expect(try #require(Self.lint.check("So do you use it daily?").first).trigger == "do you")
    }

    @Test("leading, double and hypothetical flags come with a neutral rephrasing")
    func otherRephrasings() throws {
        func flag(_ rule: LintRule, _ text: String) throws -> LintFlag {
            try #require(Self.lint.check(text).first { $0.rule == rule })
        }
        #expect(try flag(.leading, "Don't you think the new export is faster?").suggestion
                == "What's your take on whether the new export is faster?")
        #expect(try flag(.leading, "The dashboard is clear, isn't it?").suggestion == "What's your take on whether The dashboard is clear?")
        #expect(try flag(.leading, "How much do you love the new dashboard?").suggestion == "What do you think of the new dashboard?")
        #expect(try flag(.leading, "How great is the new export?").suggestion == "How would you describe the new export?")
        #expect(try flag(.leading, "How great is the new export?").trigger == "How great")
        let double = try flag(.double, "How do you export reports, and who do you call when it fails?")
        #expect(double.trigger == "and who do")
        #expect(double.suggestion == "Ask one at a time: \"How do you export reports?\", then \"Who do you call when it fails?\"")
        #expect(try flag(.hypotheticalFuture, "Would you pay for a team plan?").suggestion == "When did you last pay for something like a team plan?")
        #expect(try flag(.hypotheticalFuture, "Would you use a dark mode?").trigger == "Would you use")
        #expect(try flag(.hypotheticalFuture, "If we built a Slack integration, what would you do with it?").suggestion
                == "What do you do today instead of a Slack integration?")
        #expect(try flag(.hypotheticalFuture, "How likely are you to recommend us to a friend?").suggestion
                == "When did you last recommend us to a friend?")
        #expect(try flag(.jargon, "Which SKUs do you report on?").trigger == "SKUs")
    }

    @Test("the jargon list comes from the setting, and without one nothing is jargon")
    func jargonSetting() throws {
        #expect(QuestionLint(jargonSetting: nil).check("How does synergy show up?").isEmpty)
        let settings = Settings(stored: ["lint.jargon": "synergy, SKU"])
        #expect(settings.questionLint.jargon == ["synergy", "SKU"])
        let stored = try Settings.definition("lint.jargon").check(" synergy , SKU,, ", TimeZoneCatalog(identifiers: [], accepts: { _ in false }))
        #expect(stored == "synergy,SKU")
        #expect(throws: RapportError.self) { try Settings.definition("lint.jargon").check(" , ", TimeZoneCatalog(identifiers: [], accepts: { _ in false })) }
    }

    @Test("no starter question is flagged")
    func startersAreClean() {
        for starter in StarterQuestions.all {
            #expect(QuestionLint().check(starter.text).isEmpty, "\(starter.text)")
        }
    }
}
