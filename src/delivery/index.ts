/**
 * What other components (the api) use from delivery: the subscription and delivery operations and the shapes
 * they answer with. Everything else in src/delivery is internal.
 */
export type { Delivery, DeliveryStatus } from './data-access/deliveries-repository';
export { createDeliveryOperations, type DeliveryOperations, type SubscriptionInput, type SubscriptionPatch, type SubscriptionView } from './operations';
