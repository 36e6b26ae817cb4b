import Foundation
import RapportCore

/// The sender of campaign emails.
public struct MailSender: Sendable, Equatable {
    public var name: String?
    public var address: String

    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }
}

/// Writes campaign emails as RFC 5322 messages (`.eml`), an mbox, or a mail-merge CSV.
public enum MailFile {
    /// One message, ready to open in a mail program as a draft: CRLF line ends, UTF-8 body in quoted-printable,
    /// non-ASCII names and subjects as RFC 2047 encoded words.
    public static func eml(_ recipient: CampaignRecipient, from sender: MailSender, date: Date, campaign: String) -> String {
        let headers = [
            "From: " + mailbox(sender.name, sender.address),
            "To: " + mailbox(recipient.person.name, recipient.email),
            "Subject: " + encodedWord(recipient.subject),
            "Date: " + rfc5322Date(date),
            "Message-ID: <rapport-\(slug(campaign))-\(recipient.week)-\(recipient.person.id)@\(domain(of: sender.address))>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "X-Unsent: 1",
            "X-Rapport-Campaign: " + encodedWord(campaign),
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + quotedPrintable(recipient.body) + "\r\n"
    }

    /// Every message in one mbox (mboxrd: `From ` lines in bodies are quoted), LF line ends as mbox expects.
    public static func mbox(_ recipients: [CampaignRecipient], from sender: MailSender, date: Date, campaign: String) -> String {
        var out = ""
        for recipient in recipients {
            out += "From \(sender.address) \(asctime(date))\n"
            let message = eml(recipient, from: sender, date: date, campaign: campaign).replacing("\r\n", with: "\n")
            for line in message.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                let isFrom = line.drop(while: { $0 == ">" }).hasPrefix("From ")
                out += (isFrom ? ">" : "") + line + "\n"
            }
            out += "\n"
        }
        return out
    }

    /// A mail-merge CSV (RFC 4180): email, name, first name, company, subject, body.
    public static func csv(_ recipients: [CampaignRecipient]) -> String {
        var rows = [["email", "name", "first_name", "company", "subject", "body"]]
        for r in recipients {
            let first = String(r.person.name.split(separator: " ").first ?? Substring(r.person.name))
            rows.append([r.email, r.person.name, first, r.company ?? "", r.subject, r.body])
        }
        return rows.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A file name for a recipient's message: `012-dana-kim.eml`.
    public static func fileName(_ recipient: CampaignRecipient, position: Int) -> String {
        let number = String(position)
        return String(repeating: "0", count: max(0, 3 - number.count)) + number + "-" + slug(recipient.person.name) + ".eml"
    }

    static func csvField(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        // A leading =, +, - or @ would run as a formula in a spreadsheet.
        let safe = text.first.map { "=+-@".contains($0) } == true ? "'" + text : text
        return needsQuotes || safe != text ? "\"" + safe.replacing("\"", with: "\"\"") + "\"" : safe
    }

    /// `Dana Kim <dana@acme.com>`, quoted when the name has specials, encoded when it is not ASCII.
    /// `text` on one line: every control character (CR and LF above all) and line or paragraph separator becomes a
    /// space, so no value can end a header and start another (RFC 5322 header injection, e.g. "Me\r\nBcc: …").
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" ? " " : scalar
        }))
    }

    static func mailbox(_ name: String?, _ address: String) -> String {
        let address = oneLine(address).filter { $0 != " " && $0 != "<" && $0 != ">" }
        guard let name = name.map(oneLine)?.trimmed, !name.isEmpty else { return "<\(address)>" }
        if !name.allSatisfy(\.isASCII) { return "\(encodedWord(name)) <\(address)>" }
        let specials = "()<>[]:;@\\,.\""
        if name.contains(where: { specials.contains($0) }) {
            return "\"" + name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\" <\(address)>"
        }
        return "\(name) <\(address)>"
    }

    /// The text as is when it is printable ASCII, else RFC 2047 `=?UTF-8?B?...?=` words of at most 75 characters.
    public static func encodedWord(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline }) { return text }
        var words: [String] = []
        var chunk = Data()
        for ch in text {
            let bytes = Data(String(ch).utf8)
            // 45 bytes of UTF-8 is 60 base64 characters: with "=?UTF-8?B?" and "?=" a word stays under 75.
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Quoted-printable (RFC 2045) with CRLF line ends and soft breaks before 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        let normalised = text.replacing("\r\n", with: "\n")
        var lines: [String] = []
        for line in normalised.split(separator: "\n", omittingEmptySubsequences: false) {
            var encoded: [String] = []
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                if (byte >= 33 && byte <= 126 && byte != 61) || (byte == 32 && !last) {
                    encoded.append(String(UnicodeScalar(byte)))
                } else {
                    encoded.append("=" + String(format: "%02X", byte))
                }
            }
            var out = ""
            var length = 0
            for token in encoded {
                if length + token.count > 75 {
                    out += "=\r\n"
                    length = 0
                }
                out += token
                length += token.count
            }
            lines.append(out)
        }
        return lines.joined(separator: "\r\n")
    }

    /// `Mon, 23 Nov 2026 09:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// `Mon Nov 23 09:00:00 2026`, for mbox `From ` lines.
    static func asctime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM dd HH:mm:ss yyyy"
        return formatter.string(from: date)
    }

    static func domain(of address: String) -> String {
        let domain = address.split(separator: "@").last.map { String($0).filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" } } ?? ""
        return domain.isEmpty ? "rapport.local" : domain
    }

    /// `dana-kim`: lower-case ASCII letters and digits joined by dashes.
    public static func slug(_ text: String) -> String {
        var out = ""
        for ch in text.matchingKey {
            if ch.isASCII && (ch.isLetter || ch.isNumber) { out.append(ch) } else if !out.hasSuffix("-") { out.append("-") }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return trimmed.isEmpty ? "person" : String(trimmed.prefix(40))
    }
}
