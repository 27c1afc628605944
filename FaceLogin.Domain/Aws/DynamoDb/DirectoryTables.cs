using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using FaceLogin.Domain.Aws.Provisioning;
using static FaceLogin.Domain.Aws.DynamoDb.DirectoryItems;

namespace FaceLogin.Domain.Aws.DynamoDb;

/// <summary>
/// The three directory tables (docs/aws.md, "Table design"): creating them is the provision command's job, so the
/// running app needs only DescribeTable, never CreateTable.
/// </summary>
public sealed class DirectoryTables(IAmazonDynamoDB dynamoDb, string peopleTable, string facesTable, string attemptsTable)
{
    private static readonly TimeSpan ActiveTimeout = TimeSpan.FromMinutes(5);

    public IReadOnlyList<string> Names => [peopleTable, facesTable, attemptsTable];

    /// <summary>Creates the missing tables (on-demand capacity), waits until they are ACTIVE, and turns on TTL for attempts.</summary>
    public async Task<IReadOnlyList<ProvisionStep>> EnsureAsync(CancellationToken cancellationToken)
    {
        var steps = new List<ProvisionStep>
        {
            await EnsureTableAsync(PeopleTableRequest(), cancellationToken).ConfigureAwait(false),
            await EnsureTableAsync(FacesTableRequest(), cancellationToken).ConfigureAwait(false),
            await EnsureTableAsync(AttemptsTableRequest(), cancellationToken).ConfigureAwait(false),
        };
        foreach (var table in Names)
        {
            await WaitUntilActiveAsync(table, cancellationToken).ConfigureAwait(false);
        }

        steps.Add(await EnsureTimeToLiveAsync(cancellationToken).ConfigureAwait(false));
        return steps;
    }

    /// <summary>Fails with the command to run when a table is missing, so a forgotten provision shows at start-up.</summary>
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        foreach (var table in Names)
        {
            if (await DescribeAsync(table, cancellationToken).ConfigureAwait(false) is not { } description)
            {
                throw new InvalidOperationException(
                    $"DynamoDB table '{table}' does not exist. Create the tables with `FaceLogin.Web provision` (see docs/aws.md).");
            }

            if (description.TableStatus != TableStatus.ACTIVE)
            {
                await WaitUntilActiveAsync(table, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<ProvisionStep> EnsureTableAsync(CreateTableRequest request, CancellationToken cancellationToken)
    {
        if (await DescribeAsync(request.TableName, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new ProvisionStep("DynamoDB table", request.TableName, ProvisionOutcome.Exists);
        }

        try
        {
            await dynamoDb.CreateTableAsync(request, cancellationToken).ConfigureAwait(false);
            return new ProvisionStep("DynamoDB table", request.TableName, ProvisionOutcome.Created);
        }
        catch (ResourceInUseException)
        {
            // Created by a concurrent run between our DescribeTable and CreateTable.
            return new ProvisionStep("DynamoDB table", request.TableName, ProvisionOutcome.Exists);
        }
    }

    private async Task<ProvisionStep> EnsureTimeToLiveAsync(CancellationToken cancellationToken)
    {
        var current = await dynamoDb.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = attemptsTable }, cancellationToken).ConfigureAwait(false);
        var status = current.TimeToLiveDescription?.TimeToLiveStatus;
        if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING)
        {
            return new ProvisionStep("DynamoDB TTL", $"{attemptsTable}.{ExpiresAt}", ProvisionOutcome.Exists);
        }

        await dynamoDb.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = attemptsTable,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = ExpiresAt, Enabled = true },
        }, cancellationToken).ConfigureAwait(false);
        return new ProvisionStep("DynamoDB TTL", $"{attemptsTable}.{ExpiresAt}", ProvisionOutcome.Updated, "login attempts now expire");
    }

    private async Task<TableDescription?> DescribeAsync(string table, CancellationToken cancellationToken)
    {
        try
        {
            return (await dynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = table }, cancellationToken).ConfigureAwait(false)).Table;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private async Task WaitUntilActiveAsync(string table, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ActiveTimeout);
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var description = await DescribeAsync(table, timeout.Token).ConfigureAwait(false);
            var indexesActive = description?.GlobalSecondaryIndexes?.All(i => i.IndexStatus == IndexStatus.ACTIVE) ?? true;
            if (description?.TableStatus == TableStatus.ACTIVE && indexesActive)
            {
                return;
            }

            // Polling DescribeTable is how AWS documents waiting for a table; back off up to 5 s between looks.
            await Task.Delay(delay, timeout.Token).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
        }
    }

    private CreateTableRequest PeopleTableRequest() => new()
    {
        TableName = peopleTable,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = [new AttributeDefinition(Id, ScalarAttributeType.S)],
        KeySchema = [new KeySchemaElement(Id, KeyType.HASH)],
    };

    private CreateTableRequest FacesTableRequest() => new()
    {
        TableName = facesTable,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = [new AttributeDefinition(RekognitionId, ScalarAttributeType.S)],
        KeySchema = [new KeySchemaElement(RekognitionId, KeyType.HASH)],
    };

    private CreateTableRequest AttemptsTableRequest() => new()
    {
        TableName = attemptsTable,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(AttemptId, ScalarAttributeType.S),
            new AttributeDefinition(Feed, ScalarAttributeType.S),
            new AttributeDefinition(At, ScalarAttributeType.S),
            new AttributeDefinition(ClientAddress, ScalarAttributeType.S),
            new AttributeDefinition(PersonId, ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement(AttemptId, KeyType.HASH)],
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = FeedIndex,
                KeySchema = [new KeySchemaElement(Feed, KeyType.HASH), new KeySchemaElement(At, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
            new GlobalSecondaryIndex
            {
                IndexName = ClientIndex,
                KeySchema = [new KeySchemaElement(ClientAddress, KeyType.HASH), new KeySchemaElement(At, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = [Outcome, ExpiresAt] },
            },
            new GlobalSecondaryIndex
            {
                IndexName = PersonIndex,
                KeySchema = [new KeySchemaElement(PersonId, KeyType.HASH)],
                Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
            },
        ],
    };
}
