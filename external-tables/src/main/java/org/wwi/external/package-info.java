/**
 * WWI external tables: PolyBase DDL, storage readers, loads. See the module's issue and README.md
 * ("Map of the modules") for what lands here.
 */
package org.wwi.external;
