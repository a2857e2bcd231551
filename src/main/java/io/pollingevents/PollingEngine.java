package io.pollingevents;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pollingevents.api.ApiCredentials;
import io.pollingevents.api.InstanceApiRoutes;
import io.pollingevents.api.InstanceService;
import io.pollingevents.config.InstanceCatalog;
import io.pollingevents.config.InstanceParser;
import io.pollingevents.element.ElementRegistry;
import io.pollingevents.event.NotificationBuilder;
import io.pollingevents.event.NotificationSender;
import io.pollingevents.hub.HubRequest;
import io.pollingevents.hub.HubResponseReader;
import io.pollingevents.hub.OAuth2Client;
import io.pollingevents.poll.ChangeCollector;
import io.pollingevents.poll.ChangeDetector;
import io.pollingevents.poll.PollOutcome;
import io.pollingevents.poll.PollStarter;
import io.pollingevents.poll.WatermarkCommitter;
import io.pollingevents.route.ResourceRoutes;
import io.pollingevents.store.Database;
import io.pollingevents.store.JdbcInstanceStore;
import io.pollingevents.store.JdbcSettingStore;
import io.pollingevents.store.JdbcTokenStore;
import io.pollingevents.store.JdbcWatermarkStore;
import io.pollingevents.store.WatermarkStore;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import java.time.Clock;

/**
 * The polling events engine, independent of how Camel was booted: {@link #install} wires the store,
 * the beans the route template calls, the instance API and one route per stored resource into a
 * CamelContext (Camel Main or OSGi), and stopping the context closes the database.
 */
public final class PollingEngine extends ServiceSupport {
    private final Database database;
    private final InstanceService instances;
    private final ApiCredentials credentials;

    private PollingEngine(Database database, InstanceService instances, ApiCredentials credentials) {
        this.database = database;
        this.instances = instances;
        this.credentials = credentials;
    }

    /** Wires the engine into the context; call before or after the context starts. */
    public static PollingEngine install(CamelContext context) throws Exception {
        EngineSettings settings = EngineSettings.from(context);
        Clock clock = Clock.systemUTC();
        ObjectMapper mapper = new ObjectMapper();
        ElementRegistry elements = ElementRegistry.load(settings.elementsDir());
        Database database = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize());
        try {
            WatermarkStore watermarks = new JdbcWatermarkStore(database.dataSource());
            JdbcTokenStore tokens = new JdbcTokenStore(database.dataSource());
            OAuth2Client oauth = new OAuth2Client(mapper, tokens, clock);
            InstanceCatalog catalog = new InstanceCatalog();

            Registry registry = context.getRegistry();
            registry.bind("pollStarter", new PollStarter(catalog, elements, watermarks, clock));
            registry.bind("hubRequest", new HubRequest(oauth));
            registry.bind("hubResponse", new HubResponseReader(mapper, oauth));
            registry.bind("changeDetector", new ChangeDetector());
            registry.bind("changeCollector", new ChangeCollector(NotificationBuilder.MAX_EVENTS));
            registry.bind("notificationSender", new NotificationSender(new NotificationBuilder(mapper)));
            registry.bind("watermarkCommitter", new WatermarkCommitter(watermarks));
            registry.bind("pollOutcome", new PollOutcome(watermarks));

            ResourceRoutes routes = new ResourceRoutes(context, settings.pollStartDelayMillis());
            routes.loadTemplate(settings.routeTemplate());
            InstanceService service = new InstanceService(mapper, new InstanceParser(mapper, elements), elements,
                    new JdbcInstanceStore(database.dataSource()), watermarks, tokens, oauth, catalog, routes, clock);
            ApiCredentials credentials = ApiCredentials.resolve(settings.apiUserSecret(), settings.apiOrganizationSecret(),
                    new JdbcSettingStore(database.dataSource()));
            context.addRoutes(new InstanceApiRoutes(service, credentials, mapper));
            PollingEngine engine = new PollingEngine(database, service, credentials);
            registry.bind("pollingEngine", engine);
            context.addService(engine, true, true);
            service.startAll();
            return engine;
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
    }

    public InstanceService instances() {
        return instances;
    }

    /** The Authorization header value that API requests must send. */
    public String authorizationHeader() {
        return credentials.header();
    }

    @Override
    protected void doStop() {
        database.close();
    }
}
