namespace Cdc.Schemas.Registry;

/// <summary>Confluent's default subject naming: <c>&lt;topic&gt;-key</c> and <c>&lt;topic&gt;-value</c>.</summary>
public static class TopicNameStrategy
{
    public static string KeySubject(string topic) => topic + "-key";

    public static string ValueSubject(string topic) => topic + "-value";

    public static string Subject(string topic, bool isKey) => isKey ? KeySubject(topic) : ValueSubject(topic);
}
