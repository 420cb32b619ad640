namespace Cdc.Sink.Planning;

/// <summary>
/// The one spelling of a <see cref="FailureStage"/> everywhere it leaves the process: Kafka Connect's, as in its
/// <c>__connect.errors.stage</c> header (<c>KEY_CONVERTER</c>, <c>VALUE_CONVERTER</c>, <c>TASK_PUT</c>). The dead-letter
/// header, the <c>stage</c> label of <c>cdc_sink_dead_letters_total</c> and the log line all use it.
/// </summary>
internal static class FailureStageNames
{
    public static string ConnectName(this FailureStage stage) => stage switch
    {
        FailureStage.KeyConverter => "KEY_CONVERTER",
        FailureStage.ValueConverter => "VALUE_CONVERTER",
        FailureStage.TaskPut => "TASK_PUT",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "no Kafka Connect name"),
    };
}
