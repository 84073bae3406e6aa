import MKTTokenizer
import Testing

/// CLIP's cleaning: ftfy.fix_text (defaults), html.unescape twice, whitespace, lower().
@Suite struct CleaningTests {
    private func clean(_ text: String) -> String { CLIPTextCleaner.clean(text) }

    @Test func curlyQuotes() {
        #expect(clean("\u{201C}Hello,\u{201D} she said \u{2018}it\u{2019}s fine\u{2019}") == "\"hello,\" she said 'it's fine'")
        #expect(clean("\u{201E}low\u{201F} \u{2BC}okina \u{201B}x") == "\"low\" 'okina 'x")
        // Guillemets are not quotes to ftfy.
        #expect(clean("«a»") == "«a»")
    }

    @Test func ligatures() {
        #expect(clean("ﬁsh ﬂow oﬃce eﬄuent ﬀ ﬆ") == "fish flow office effluent ff st")
        #expect(clean("Ĳssel ǅemal Ǳ") == "ijssel džemal dz")
    }

    @Test func widthForms() {
        #expect(clean("ＦＵＬＬＷＩＤＴＨ\u{3000}ｔｅｘｔ １２３！") == "fullwidth text 123!")
        #expect(clean("ｶﾀｶﾅ") == "カタカナ")
    }

    @Test func htmlEntities() {
        #expect(clean("Tom &amp; Jerry") == "tom & jerry")
        #expect(clean("&amp;lt;b&amp;gt;") == "<b>")
        #expect(clean("caf&eacute; &EACUTE;COLE") == "café école")
        #expect(clean("&#39;x&#x27; &nbsp;y") == "'x' y")
        // Legacy names without `;` and the longest known prefix (Python's html.unescape).
        #expect(clean("5 &lt 6 &copy2024 &notebook") == "5 < 6 ©2024 ¬ebook")
        #expect(clean("&#128; &#0; &#xD800; &#1114112;") == "€ \u{FFFD} \u{FFFD} \u{FFFD}")
        #expect(clean("AT&T Q&A") == "at&t q&a")
    }

    @Test func whitespace() {
        #expect(clean("   leading and trailing   ") == "leading and trailing")
        #expect(clean("tab\tseparated\u{A0}nbsp\u{2028}line  runs") == "tab separated nbsp line runs")
        #expect(clean(" \t ") == "")
    }

    @Test func controlCharactersAndNFC() {
        #expect(clean("bell\u{07}char BOM\u{FEFF}here \u{1B}[31mred\u{1B}[0m") == "bellchar bomhere red")
        #expect(clean("cafe\u{301}") == "café")
        #expect(Array(clean("cafe\u{301}").unicodeScalars).count == 4)
        #expect(clean("\u{212B}ngstr\u{F6}m \u{2126}") == "ångström ω")
    }

    @Test func lowerCasing() {
        #expect(clean("ΟΔΟΣ ΣΊΣΥΦΟΣ.") == "οδος σίσυφος.")
        #expect(Array(clean("İ").unicodeScalars) == ["i", "\u{307}"])
        #expect(clean("STRASSE Straße") == "strasse straße")
    }

    @Test func mojibake() {
        #expect(clean("cafÃ© crÃ¨me") == "café crème")
        #expect(clean("donâ€™t") == "don't")
        #expect(clean("Ã  la carte") == "à la carte")
        #expect(clean("ÃƒÂ©") == "é")
        #expect(clean("Ð¿Ñ€Ð¸Ð²ÐµÑ‚") == "привет")
        #expect(clean("\u{93}quoted\u{94}") == "\"quoted\"")
        // Correct text is left alone.
        #expect(clean("café Zürich São Paulo naïve") == "café zürich são paulo naïve")
    }
}
