import Foundation
import RapportCore

/// A guide as a printable Markdown page: the objective and opening lines, then each question with lines for notes.
public enum GuideMarkdown {
    /// Lines to write on under each question (each `___` prints as a rule).
    public static let noteLines = 4

    public static func render(_ sheet: GuideSheet) -> String {
        var out = "# \(escape(sheet.guide.name))\n\n"
        if let person = sheet.person {
            out += "**For:** \(escape(person.name))\(sheet.about.map { " (\(escape($0)))" } ?? "")  \n"
        }
        out += "**Date:** ____________\n\n"
        out += "**Objective:** \(escape(sheet.objective))\n\n"
        var opening: [String] = []
        if let smallTalk = sheet.smallTalk { opening.append(smallTalk) }
        if let last = sheet.lastConversation { opening.append("Last conversation: " + last) }
        if sheet.person == nil { opening.append("Start with a little small talk to make them comfortable; then listen more than you speak.") }
        for line in opening { out += "> \(escape(line))\n>\n" }
        if !opening.isEmpty { out.removeLast(2); out += "\n" }
        for q in sheet.questions {
            out += "## \(q.position). \(escape(q.text))\n\n"
            out += "Notes:\n\n" + String(repeating: "___\n\n", count: noteLines)
        }
        if sheet.questions.isEmpty { out += "_No questions yet._\n\n" }
        out += "## Wrap-up\n\nWas the objective met? yes / partly / no\n\nFollow-ups:\n\n" + String(repeating: "___\n\n", count: 2)
        return out
    }

    /// Escapes the characters that would turn plain text into Markdown markup.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_[]<>#|".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
