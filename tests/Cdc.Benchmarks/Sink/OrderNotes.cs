using System.Text;

namespace Cdc.Benchmarks.Sink;

/// <summary>Free-text notes of realistic length, some with characters that need escaping in JSON and in COPY.</summary>
public static class OrderNotes
{
    private static readonly string[] Words =
    [
        "leave", "at", "the", "door", "ring", "twice", "gift", "wrap", "please", "fragile", "call", "before",
        "delivery", "back", "entrance", "no", "plastic", "invoice", "attached", "customer", "asked", "for",
        "express", "shipping", "café", "naïve", "größe", "置き配", "\"urgent\"", "C:\\orders\\", "tab\there", "line\nbreak",
    ];

    public static string[] Build(Random random, int count)
    {
        var notes = new string[count];
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Clear();
            var length = random.Next(16, 120);
            while (text.Length < length)
            {
                if (text.Length > 0)
                {
                    text.Append(' ');
                }

                // Mostly plain words; the escaping cases stay rare, as in real notes.
                var word = random.Next(10) == 0 ? Words[random.Next(Words.Length)] : Words[random.Next(Words.Length - 8)];
                text.Append(word);
            }

            notes[i] = text.ToString();
        }

        return notes;
    }
}
