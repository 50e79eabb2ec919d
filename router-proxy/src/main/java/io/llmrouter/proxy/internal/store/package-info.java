/**
 * Internal: not API, may change in any release. The JDBC implementation of the proxy store.
 */
package io.llmrouter.proxy.internal.store;
