export { FederationModule } from "./federation.module.js";
export { FederationService } from "./federation.service.js";
export { BrokerConnector } from "./broker-connector.js";
