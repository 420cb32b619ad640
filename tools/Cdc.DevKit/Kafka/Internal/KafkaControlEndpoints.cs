using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cdc.DevKit.Kafka.Internal;

/// <summary>
/// The HTTP control surface of <c>cdc kafka</c>: <c>GET /</c> (state as JSON), <c>POST /topics?name=X&amp;partitions=P</c>,
/// <c>POST /brokers/{id}/down</c>, <c>POST /brokers/{id}/up</c>, <c>DELETE /topics/{name}</c> (a new incarnation is
/// auto-created by the next producer) and <c>POST /topics/{name}/partitions/{p}/delete-records?before=N</c> (retention).
/// </summary>
internal static class KafkaControlEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, MockCluster cluster, int defaultPartitions)
    {
        endpoints.MapGet("/", context => WriteJsonAsync(context, StatusCodes.Status200OK, State(cluster)));
        endpoints.MapPost("/topics", context => CreateTopicAsync(context, cluster, defaultPartitions));
        endpoints.MapPost("/brokers/{id}/down", context => SetBrokerAsync(context, cluster, up: false));
        endpoints.MapPost("/brokers/{id}/up", context => SetBrokerAsync(context, cluster, up: true));
        endpoints.MapDelete("/topics/{name}", context => DeleteTopicAsync(context, cluster));
        endpoints.MapPost("/topics/{name}/partitions/{partition}/delete-records", context => DeleteRecordsAsync(context, cluster));
    }

    private static object State(MockCluster cluster) => new
    {
        bootstrapServers = cluster.BootstrapServers,
        brokers = cluster.Brokers,
        topics = cluster.Topics,
        groupInitialRebalanceDelayMs = (int)cluster.GroupInitialRebalanceDelay.TotalMilliseconds,
    };

    private static Task CreateTopicAsync(HttpContext context, MockCluster cluster, int defaultPartitions)
    {
        var name = context.Request.Query["name"].ToString();
        if (!KafkaHostOptions.IsValidTopicName(name))
        {
            return WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"query parameter 'name' must be a valid topic name, not '{name}'");
        }

        var partitions = defaultPartitions;
        var partitionsText = context.Request.Query["partitions"].ToString();
        if (partitionsText.Length > 0
            && (!int.TryParse(partitionsText, NumberStyles.None, CultureInfo.InvariantCulture, out partitions) || partitions < 1))
        {
            return WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"query parameter 'partitions' must be a positive integer, not '{partitionsText}'");
        }

        try
        {
            cluster.CreateTopic(name, partitions);
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.TopicAlreadyExists)
        {
            return WriteErrorAsync(context, StatusCodes.Status409Conflict, $"topic '{name}' already exists");
        }

        return WriteJsonAsync(context, StatusCodes.Status201Created, new MockTopic(name, partitions, 1));
    }

    private static Task DeleteTopicAsync(HttpContext context, MockCluster cluster)
    {
        var name = context.Request.RouteValues["name"]?.ToString() ?? "";
        try
        {
            cluster.DeleteTopic(name);
        }
        catch (KafkaException e)
        {
            return WriteErrorAsync(context, StatusCodes.Status404NotFound, e.Error.Reason);
        }

        return WriteJsonAsync(context, StatusCodes.Status200OK, new { deleted = name });
    }

    private static Task DeleteRecordsAsync(HttpContext context, MockCluster cluster)
    {
        var name = context.Request.RouteValues["name"]?.ToString() ?? "";
        var partitionText = context.Request.RouteValues["partition"]?.ToString();
        var beforeText = context.Request.Query["before"].ToString();
        if (!int.TryParse(partitionText, NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            || !long.TryParse(beforeText, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
        {
            return WriteErrorAsync(context, StatusCodes.Status400BadRequest, "partition and query parameter 'before' must be non-negative integers");
        }

        try
        {
            cluster.DeleteRecords(name, partition, before);
        }
        catch (KafkaException e)
        {
            return WriteErrorAsync(context, StatusCodes.Status400BadRequest, e.Error.Reason);
        }

        return WriteJsonAsync(context, StatusCodes.Status200OK, new { topic = name, partition, logStart = before });
    }

    private static Task SetBrokerAsync(HttpContext context, MockCluster cluster, bool up)
    {
        var text = context.Request.RouteValues["id"]?.ToString();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1 || id > cluster.BrokerCount)
        {
            return WriteErrorAsync(context, StatusCodes.Status404NotFound, $"no broker '{text}' (brokers are 1..{cluster.BrokerCount})");
        }

        if (up)
        {
            cluster.SetBrokerUp(id);
        }
        else
        {
            cluster.SetBrokerDown(id);
        }

        return WriteJsonAsync(context, StatusCodes.Status200OK, cluster.Brokers[id - 1]);
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteJsonAsync(context, status, new { error = message });

    private static Task WriteJsonAsync(HttpContext context, int status, object value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(value, JsonSerializerOptions.Web) + "\n", context.RequestAborted);
    }
}
