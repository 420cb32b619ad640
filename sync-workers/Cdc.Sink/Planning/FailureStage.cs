namespace Cdc.Sink.Planning;

/// <summary>Where a record failed, named as Kafka Connect names it in <c>__connect.errors.stage</c>.</summary>
internal enum FailureStage
{
    KeyConverter,
    ValueConverter,
    TaskPut,
}
