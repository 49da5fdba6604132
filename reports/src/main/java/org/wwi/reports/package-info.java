/**
 * WWI reports: dashboards over the semantic layer. See the module's issue and README.md
 * ("Map of the modules") for what lands here.
 */
package org.wwi.reports;
